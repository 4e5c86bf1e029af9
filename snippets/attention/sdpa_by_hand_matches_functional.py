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
assert torch.isnan(by_hand[..., 2, :]).all(), "by hand: softmax of all -inf is NaN"
assert torch.equal(sdpa[..., 2, :], torch.zeros(B, H, d_k)), "SDPA: exactly zero"
assert torch.allclose(sdpa[..., :2, :], by_hand[..., :2, :], atol=1e-5), (
    "the other rows agree"
)
mha = nn.MultiheadAttention(8, num_heads=2, batch_first=True)
x = torch.randn(1, 4, 8)
y, _ = mha(x, x, x, key_padding_mask=torch.ones(1, 4, dtype=torch.bool))
assert torch.isnan(y).all(), "nn.MultiheadAttention: every key padded gives NaN"
print("row with no allowed key -> by hand: nan, SDPA: 0.0, "
      "nn.MultiheadAttention (all keys padded): nan")
