# %% Scaled dot-product attention written out
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
B, H, n, d_k = 2, 3, 5, 8
q, k, v = (torch.randn(B, H, n, d_k) for _ in range(3))


def attention(q, k, v, causal=False):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))  # (B, H, n, n)
    if causal:  # query i may only look at keys j <= i
        n_q, n_k = scores.shape[-2:]
        future = torch.ones(n_q, n_k, dtype=torch.bool).triu(diagonal=1)
        scores = scores.masked_fill(future, float("-inf"))
    weights = scores.softmax(dim=-1)  # one distribution over the keys per query
    return weights @ v, weights


# %% Same result as PyTorch's fused kernel, with and without a causal mask
for causal in (False, True):
    mine, weights = attention(q, k, v, causal)
    ref = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
    assert torch.allclose(mine, ref, atol=1e-5), f"by hand == SDPA (causal={causal})"
    print(f"causal={causal!s:5}  manual == F.scaled_dot_product_attention (atol 1e-5)")

# with SDPA's causal mask the first query sees only key 0, so its output is value 0
assert torch.allclose(ref[..., 0, :], v[..., 0, :], atol=1e-6), (
    "causal: output 0 is value 0"
)
print("causal weights, head 0:\n", weights[0, 0].numpy().round(2))

# %% A query row with every key masked out: NaN by hand, zeros from SDPA
allowed = torch.ones(n, n, dtype=torch.bool)
allowed[2] = False  # query 2 may attend to no key at all
scores = (q @ k.transpose(-2, -1) / math.sqrt(d_k)).masked_fill(~allowed, -math.inf)
by_hand = scores.softmax(-1) @ v
sdpa = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
additive = torch.zeros(n, n).masked_fill(~allowed, -math.inf)  # the same mask as floats
sdpa_float = F.scaled_dot_product_attention(q, k, v, attn_mask=additive)
assert torch.isnan(by_hand[..., 2, :]).all(), "by hand: softmax of all -inf is NaN"
assert torch.equal(sdpa[..., 2, :], torch.zeros(B, H, d_k)), "SDPA: exactly zero"
assert torch.equal(sdpa_float, sdpa), "SDPA: the same zeros with a float -inf mask"
assert torch.allclose(sdpa[..., :2, :], by_hand[..., :2, :], atol=1e-5), (
    "the other rows agree"
)
print("row with no allowed key -> by hand: nan, "
      "F.scaled_dot_product_attention (bool or float mask): 0.0")

# %% nn.MultiheadAttention with every key padded: NaN or zeros, depending on the path
mha = nn.MultiheadAttention(8, num_heads=2, batch_first=True).eval()
nn.init.normal_(mha.out_proj.bias)  # non-zero, as after training (it starts at 0)
x = torch.randn(1, 4, 8)
pad = torch.ones(1, 4, dtype=torch.bool)  # True = padding: no key is left
out = {}
# the inference fast path needs eval mode, no grad, q = k = v, batch_first, an even
# number of heads and no float mask, among other conditions (see the MHA docs)
for fast_path in (False, True):
    torch.backends.mha.set_fastpath_enabled(fast_path)
    for need_weights in (True, False):
        with torch.inference_mode():
            y, _ = mha(x, x, x, key_padding_mask=pad, need_weights=need_weights)
        out[fast_path, need_weights] = y
        bias_only = torch.equal(y, mha.out_proj.bias.expand_as(y))
        print(f"fast path {fast_path!s:5}  need_weights={need_weights!s:5}  -> "
              f"{'nan' if y.isnan().all() else f'out_proj.bias only: {bias_only}'}")
torch.backends.mha.set_fastpath_enabled(True)  # the default
# need_weights=True: the module runs the softmax itself, like the by-hand version
assert out[False, True].isnan().all(), "own softmax: NaN, as by hand"
# need_weights=False: it calls SDPA, whose zero rows then go through out_proj, so
# every output is the output bias alone
assert torch.equal(out[False, False], mha.out_proj.bias.expand(1, 4, 8)), (
    "need_weights=False off the fast path: SDPA's zero row, then the output bias"
)
assert out[True, True].isnan().all() and out[True, False].isnan().all(), (
    "the inference fast path gives NaN whatever need_weights is (this run, CPU)"
)
