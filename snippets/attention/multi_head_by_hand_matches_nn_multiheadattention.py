# %% Multi-head attention written out, using nn.MultiheadAttention's own weights
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)


def multi_head_by_hand(mha, x):
    B, n, d_model = x.shape
    h = mha.num_heads
    d_head = d_model // h
    W_q, W_k, W_v = mha.in_proj_weight.chunk(3)  # each (d_model, d_model)
    b_q, b_k, b_v = mha.in_proj_bias.chunk(3)
    # project, then split the d_model features into h heads: (B, h, n, d_head)
    q, k, v = (F.linear(x, W, b).view(B, n, h, d_head).transpose(1, 2)
               for W, b in ((W_q, b_q), (W_k, b_k), (W_v, b_v)))
    # one n x n map per head
    weights = (q @ k.transpose(-2, -1) / d_head**0.5).softmax(-1)
    concat = (weights @ v).transpose(1, 2).reshape(B, n, d_model)  # concatenate heads
    return mha.out_proj(concat), weights  # final mixing with W_o


x = torch.randn(2, 6, 16)  # (batch, sequence, d_model); self-attention: q = k = v = x
mha = nn.MultiheadAttention(16, num_heads=4, batch_first=True).eval()
ref, ref_weights = mha(x, x, x, need_weights=True, average_attn_weights=False)
mine, weights = multi_head_by_hand(mha, x)
assert torch.allclose(mine, ref, atol=1e-6), "same output as nn.MultiheadAttention"
assert torch.allclose(weights, ref_weights, atol=1e-6), "same per-head weights"
print(f"by hand == nn.MultiheadAttention; per-head maps: {tuple(weights.shape)}")
# defaults to watch: (seq, batch, feature) inputs, and weights averaged over the heads
assert not nn.MultiheadAttention(16, num_heads=4).batch_first, "default: seq first"
assert torch.allclose(mha(x, x, x)[1], ref_weights.mean(1), atol=1e-6), (
    "default: the returned weights are the mean over heads"
)

# %% More heads: same parameters and matmul FLOPs, but h score maps to store
B, n, d = x.shape
for h in (1, 2, 4, 8):
    mha = nn.MultiheadAttention(d, num_heads=h, batch_first=True)
    with FlopCounterMode(display=False) as counter:
        _, weights = multi_head_by_hand(mha, x)
    n_params = sum(p.numel() for p in mha.parameters())
    flops = counter.get_total_flops()  # counts the matmuls, not the softmax
    assert n_params == 4 * d * d + 4 * d, "W_q, W_k, W_v, W_o and biases, for any h"
    # 4 projections (2nd^2 each) + QK^T and AV (2n^2 d each), whatever h is
    assert flops == B * (8 * n * d * d + 4 * n * n * d), "matmul FLOPs: same for any h"
    print(f"heads={h}  parameters={n_params}  matmul FLOPs={flops}  "
          f"score entries={weights.numel()}")

# %% A KV cache with grouped-query attention: 4 query heads share 2 K/V heads
torch.manual_seed(0)
h, n_kv, T, d_head = 4, 2, 6, 8
q = torch.randn(1, h, T, d_head)
k, v = torch.randn(1, n_kv, T, d_head), torch.randn(1, n_kv, T, d_head)
full = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
# the same by hand: copy each K/V head to the query heads of its group
k_rep, v_rep = k.repeat_interleave(h // n_kv, 1), v.repeat_interleave(h // n_kv, 1)
ref = F.scaled_dot_product_attention(q, k_rep, v_rep, is_causal=True)
assert torch.allclose(full, ref, atol=1e-6), "GQA = attention with K/V heads repeated"
cache_k, cache_v, steps = [], [], []
for t in range(T):  # decode token by token: store its K and V, attend to all so far
    cache_k.append(k[:, :, t : t + 1])
    cache_v.append(v[:, :, t : t + 1])
    K, V = torch.cat(cache_k, 2), torch.cat(cache_v, 2)
    steps.append(F.scaled_dot_product_attention(q[:, :, t : t + 1], K, V,
                                                enable_gqa=True))
assert torch.allclose(torch.cat(steps, 2), full, atol=1e-6), (
    "token-by-token decoding with the cache == full causal attention"
)
assert K.nbytes + V.nbytes == 2 * T * n_kv * d_head * K.element_size(), (
    "cache bytes = 2 x tokens x K/V heads x head size x bytes (one layer)"
)
print(f"cached decoding == causal attention; cache holds {n_kv} K/V heads, "
      f"not {h}: {K.nbytes + V.nbytes} bytes for {T} tokens")
# closed form 2 x layers x tokens x KV heads x head size x bytes, for a model with
# 32 layers of 32 query heads of width 128 in fp16 (LLaMA-2-7B's shape), 4,096 tokens
for name, kv_heads in (("MHA", 32), ("GQA", 8), ("MQA", 1)):
    per_token = 2 * 32 * kv_heads * 128 * 2
    print(f"{name} ({kv_heads:2d} K/V heads): {per_token / 2**10:3.0f} KiB per token, "
          f"{per_token * 4096 / 2**20:5,.0f} MiB for 4,096 tokens")
