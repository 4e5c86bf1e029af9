# %% GQA in SDPA: each K/V head serves a contiguous group of query heads
import torch
import torch.nn.functional as F
import warnings
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.nn.attention.bias import causal_lower_right

torch.manual_seed(0)
B, h, T, dh = 2, 8, 10, 16  # batch, query heads, tokens, head size


def attention(q, k, v):  # written out, causal, no SDPA
    allowed = torch.ones(T, T, dtype=torch.bool).tril()
    s = (q @ k.transpose(-2, -1) / dh**0.5).masked_fill(~allowed, float("-inf"))
    return s.softmax(-1) @ v


q = torch.randn(B, h, T, dh)
for n_kv in (8, 2, 1):  # MHA, GQA with groups of 4, MQA
    k, v = torch.randn(B, n_kv, T, dh), torch.randn(B, n_kv, T, dh)
    gqa = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
    g = h // n_kv  # query heads per K/V head
    by_hand = attention(q, k.repeat_interleave(g, 1), v.repeat_interleave(g, 1))
    assert torch.allclose(gqa, by_hand, atol=1e-6), "enable_gqa == repeat K/V heads"
    tiled = attention(q, k.repeat(1, g, 1, 1), v.repeat(1, g, 1, 1))  # wrong order
    same = torch.allclose(gqa, tiled, atol=1e-6)
    assert same == (g in (1, h)), "tiling (repeat) pairs the wrong heads unless MHA/MQA"
    print(f"n_kv={n_kv}: query head i reads K/V head i // {g}; "
          f"max |SDPA - by hand| {(gqa - by_hand).abs().max():.1e}; tiled "
          f"instead: {'same' if same else 'different'}")
k1, k2 = torch.randn(B, 1, T, dh), torch.randn(B, 2, T, dh)
mqa = F.scaled_dot_product_attention(q, k1, k1)  # no flag: a single head broadcasts
no_mask = (q @ k1.transpose(-2, -1) / dh**0.5).softmax(-1) @ k1  # broadcast by hand
assert torch.allclose(mqa, no_mask, atol=1e-6), "one K/V head broadcasts: no flag"
for kv, kernel in ((k1, SDPBackend.FLASH_ATTENTION), (k2, SDPBackend.MATH)):
    with sdpa_kernel(kernel), warnings.catch_warnings(action="ignore"):
        flagged = F.scaled_dot_product_attention(q, kv, kv, enable_gqa=True)
        try:  # without the flag: the fused kernel refuses 1 K/V head, math refuses 2
            F.scaled_dot_product_attention(q, kv, kv)
            raise AssertionError(f"{kernel.name} should refuse it without the flag")
        except RuntimeError as err:
            print(f"{kv.shape[1]} K/V head(s), {kernel.name} kernel, no enable_gqa:",
                  str(err).split(" at ")[0].split(".")[0])
    if kv is k1:  # (2 K/V heads with the flag: checked against repeat_interleave above)
        assert torch.allclose(flagged, mqa, atol=1e-5), "flash runs it with the flag"

# one new query over 9 cached keys plus its own: which keys does it see?
k, v = torch.randn(B, h, T, dh), torch.randn(B, h, T, dh)
full = F.scaled_dot_product_attention(q, k, v, is_causal=True)
last = F.scaled_dot_product_attention(q[:, :, -1:], k, v)  # no mask needed
upper = F.scaled_dot_product_attention(q[:, :, -1:], k, v, is_causal=True)
assert torch.allclose(last, full[:, :, -1:], atol=1e-6), "decode step: no mask"
assert torch.allclose(upper, v[:, :, :1], atol=1e-6), "is_causal: only key 0 (!)"
chunk = F.scaled_dot_product_attention(q[:, :, 6:], k, v,
                                       attn_mask=causal_lower_right(4, T))
assert torch.allclose(chunk, full[:, :, 6:], atol=1e-6), "4 new queries: lower right"
print("1 query, is_causal=True: it attends to key 0 only; causal_lower_right fixes "
      "a chunk of new queries")

# %% From an MHA checkpoint to GQA: mean-pool the K and V heads of each group
d, n_kv = 64, 2; g = h // n_kv  # width; K/V heads; query heads per K/V head
W_k = torch.randn(h * dh, d) / d**0.5  # an MHA key projection: 8 heads of 16 rows
x = torch.randn(B, T, d)


def pooled_keys(W):  # GQA conversion (Ainslie et al., 2023): average each group
    W_g = W.view(n_kv, h // n_kv, dh, d).mean(1).reshape(n_kv * dh, d)
    return (x @ W_g.T).view(B, T, n_kv, dh).transpose(1, 2)


keys = lambda W: (x @ W.T).view(B, T, h, dh).transpose(1, 2)  # (B, h, T, dh)
one = W_k[: n_kv * dh].view(n_kv, 1, dh, d)  # heads that agree within each group
alike = one.expand(n_kv, h // n_kv, dh, d).reshape(h * dh, d)
exact = pooled_keys(alike).repeat_interleave(h // n_kv, 1)
assert torch.allclose(exact, keys(alike), atol=1e-5), "exact if a group's heads agree"
rel = (pooled_keys(W_k).repeat_interleave(g, 1) - keys(W_k)).norm() / keys(W_k).norm()
print(f"random MHA heads: pooled keys differ from each head's own by {rel:.3f} "
      f"(relative); independent heads predict sqrt(1 - 1/g) = {(1 - 1 / g)**0.5:.3f}")
assert abs(rel - (1 - 1 / g) ** 0.5) < 0.05, "unrelated heads lose most of their keys"

# %% Cache size for MHA, GQA and MQA, and the FLOPs per cached number
import matplotlib.pyplot as plt
from torch.utils.flop_counter import FlopCounterMode

L, T, bf16 = 4, 24, torch.bfloat16  # layers, cached tokens, a 2-byte type
x = torch.randn(B, T, d, dtype=bf16)
print("variant  K/V heads  cache bytes  K/V weights  FLOPs per cached element")
for name, n_kv in (("MHA", 8), ("GQA", 2), ("MQA", 1)):
    W_kv = [torch.randn(2 * n_kv * dh, d, dtype=bf16) for _ in range(L)]  # W_k; W_v
    cache = [(x @ W.T).view(B, T, 2, n_kv, dh).permute(2, 0, 3, 1, 4) for W in W_kv]
    n_bytes = sum(c[0].nbytes + c[1].nbytes for c in cache)  # K and V, every layer
    q1 = torch.randn(B, h, 1, dh)  # one decode step: 1 query per head
    k, v = cache[0][0].float(), cache[0][1].float()  # layer 0's cache
    with FlopCounterMode(display=False) as counter:  # the g heads of a group are
        qg = q1.view(B, n_kv, h // n_kv, dh)  # the rows of one matmul with its K
        w = (qg @ k.transpose(-2, -1) / dh**0.5).softmax(-1)
        out = (w @ v).view(B, h, 1, dh)
    ref = F.scaled_dot_product_attention(q1, k, v, enable_gqa=True)
    assert torch.allclose(out, ref, atol=1e-5), f"{name}: grouped matmul == SDPA"
    per_elem = counter.get_total_flops() / (k.numel() + v.numel())
    assert per_elem == 2 * h // n_kv, "each cached number is used by g query heads"
    print(f"{name:7s}  {n_kv:9d}  {n_bytes:11,}  {sum(W.numel() for W in W_kv):11,}"
          f"  {per_elem:24.0f}")

ctx = torch.arange(1024, 32769, 1024)
fig, ax = plt.subplots(figsize=(6.5, 3.6), label=(
    "KV cache in GiB against context length for one sequence of a Mistral-7B-shaped "
    "model in bf16 (32 layers, 32 query heads of 128): it grows linearly, to 16 GiB "
    "at 32,768 tokens with 32 K/V heads (MHA), 4 GiB with 8 (GQA, Mistral's "
    "choice) and 0.5 GiB with 1 (MQA); a dashed line marks 13.5 GiB, the size of "
    "7.24 billion bf16 weights"))
for name, n_kv in (("MHA, 32 K/V heads", 32), ("GQA, 8", 8), ("MQA, 1", 1)):
    gib = 2 * 32 * n_kv * 128 * ctx * 2 / 2**30
    ax.plot(ctx, gib, label=name)
    print(f"{name:18s} {gib[-1]:5.1f} GiB at {ctx[-1]:,} tokens")
ax.axhline(7.24e9 * 2 / 2**30, ls="--", lw=1, label="7.24e9 weights in bf16")
ax.set(xlabel="context length (tokens), batch 1", ylabel="KV cache (GiB)")
ax.legend()
fig.tight_layout()
