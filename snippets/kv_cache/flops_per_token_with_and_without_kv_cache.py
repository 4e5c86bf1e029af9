# %% What the cache saves: matmul FLOPs for one new token, counted
import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode
import matplotlib.pyplot as plt

torch.manual_seed(0)
V, d, h, d_ff, L = 48, 32, 4, 64, 2  # vocabulary, width, heads, FFN width, layers
dh = d // h
layers = [{"qkv": torch.randn(3 * d, d), "o": torch.randn(d, d),
           "w1": torch.randn(d_ff, d), "w2": torch.randn(d, d_ff)} for _ in range(L)]
emb, head = torch.randn(V, d), torch.randn(V, d)


def new_cache(B, n=0):  # zeros stand in for n earlier tokens: FLOPs ignore values
    return [{"k": torch.zeros(B, h, n, dh), "v": torch.zeros(B, h, n, dh)}
            for _ in range(L)]


def cached_forward(tokens, cache):  # m new tokens; reads and extends the cache
    B, m = tokens.shape
    x = emb[tokens]  # (positions and norms add no matmul FLOPs)
    for p, kv in zip(layers, cache):
        q, k, v = (x @ p["qkv"].T).view(B, m, 3, h, dh).permute(2, 0, 3, 1, 4)
        kv["k"], kv["v"] = torch.cat([kv["k"], k], 2), torch.cat([kv["v"], v], 2)
        S = kv["k"].shape[2]
        allowed = torch.ones(m, S, dtype=torch.bool).tril(S - m)
        s = (q @ kv["k"].transpose(-2, -1) / dh**0.5).masked_fill(~allowed, -1e9)
        x = x + (s.softmax(-1) @ kv["v"]).transpose(1, 2).reshape(B, m, d) @ p["o"].T
        x = x + F.relu(x @ p["w1"].T) @ p["w2"].T
    return x[:, -1] @ head.T  # logits for the next token only


def count(fn):
    with FlopCounterMode(display=False) as counter:
        fn()
    return counter.get_total_flops()


lengths = [2**i for i in range(9)]  # context length n, including the new token
with_cache, without = [], []
with torch.no_grad():
    for n in lengths:
        seq = torch.randint(V, (1, n))
        cache = new_cache(1, n - 1)  # the n - 1 earlier tokens
        with_cache.append(count(lambda: cached_forward(seq[:, -1:], cache)))
        without.append(count(lambda: cached_forward(seq, new_cache(1))))
weights = 2 * (4 * d * d + 2 * d * d_ff)  # 2 FLOPs per weight per token, one layer
for n, c, f in zip(lengths, with_cache, without):
    assert c == L * (weights + 4 * n * d) + 2 * d * V, "cached: O(n) per token"
    assert f == L * (n * weights + 4 * n * n * d) + 2 * d * V, "no cache: O(n^2)"
for n in (1, 16, 256):
    c, f = with_cache[lengths.index(n)], without[lengths.index(n)]
    print(f"n = {n:3d}: {c:>7,} FLOPs with the cache, {f:>10,} without "
          f"({f / c:.0f}x)")

fig, ax = plt.subplots(figsize=(6.5, 3.6), label=(
    "Matmul FLOPs to produce one new token against the context length, log-log: "
    "with a KV cache the count rises slowly, from 36 thousand at 1 token to 101 "
    "thousand at 256, while without a cache it grows linearly and then "
    "quadratically, to 25 million at 256 tokens"))
ax.loglog(lengths, without, "o-", label="no cache: rerun the whole prefix")
ax.loglog(lengths, with_cache, "s-", label="KV cache: new token only")
ax.set(xlabel="context length n (tokens)", ylabel="matmul FLOPs for one new token")
ax.legend()
fig.tight_layout()

# %% Prefill vs decode: FLOPs per number read from memory
n = 256  # a prompt of n tokens, or one new token after n - 1 cached ones
W = sum(p.numel() for layer in layers for p in layer.values()) + head.numel()
kv_elems = 2 * L * n * d  # weight matrices; cached K and V of n tokens
prefill, decode = without[lengths.index(n)], with_cache[lengths.index(n)]
B16 = 16  # a batch shares the weights, but each sequence reads its own cache
cache16 = new_cache(B16, n - 1)
with torch.no_grad():
    decode16 = count(lambda: cached_forward(torch.randint(V, (B16, 1)), cache16))
assert decode16 == B16 * decode, "decoding a batch: B times the FLOPs"
rows = {f"prefill, {n} tokens": prefill / (W + kv_elems),
        "decode, batch 1": decode / (W + kv_elems),
        f"decode, batch {B16}": decode16 / (W + B16 * kv_elems)}
for name, ratio in rows.items():
    print(f"{name:20s} {ratio:6.1f} FLOPs per weight or cache element read")
print(f"here {W:,} weights, and {kv_elems:,} cached numbers per sequence")
assert rows["decode, batch 1"] <= 2, "decode: at most 2 FLOPs per element read"
assert rows[f"decode, batch {B16}"] < B16 * rows["decode, batch 1"] / 4, (
    "in this model batching decode gains far less than B-fold: the cache dominates")
assert rows[f"prefill, {n} tokens"] > 100 * rows[f"decode, batch {B16}"], (
    "prefill does far more work per element read")
W7, kv7 = 7.24e9, 2 * 32 * 8 * 128 * n  # Mistral 7B: weights; cache of n tokens
for b in (1, B16):  # 2 FLOPs per weight, 2 x 4 per cached number (4 query heads each)
    print(f"Mistral-7B shape, batch {b:2d}: {b * kv7:,} cached numbers, "
          f"{b * (2 * W7 + 8 * kv7) / (W7 + b * kv7):.1f} FLOPs per number read")
gpu = 312e12 / 2.039e12  # A100 80 GB SXM: dense BF16 FLOP/s over memory bytes/s
print(f"A100: {gpu:.0f} FLOPs per byte = {2 * gpu:.0f} per bf16 element to keep "
      "its units busy")
