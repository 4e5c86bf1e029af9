# %% The spread of q·k grows like sqrt(d_k)
import math
import matplotlib.pyplot as plt
import torch

torch.manual_seed(0)
n_queries, n_keys = 256, 64
dims = [4, 16, 64, 256, 1024]
rows = []
for d_k in dims:
    # unit-variance entries
    q, k = torch.randn(n_queries, d_k), torch.randn(n_keys, d_k)
    scores = q @ k.T
    for scale in (1.0, 1 / math.sqrt(d_k)):
        w = (scores * scale).softmax(dim=-1)
        entropy = -(w * w.clamp_min(1e-30).log()).sum(-1).mean().item()
        top = w.max(-1).values.mean().item()  # 1.0 would be one-hot
        rows.append((d_k, scale != 1.0, (scores * scale).std().item(), entropy, top))

print(" d_k  scaled  std(score)  entropy  mean largest weight")
for d_k, scaled, std, ent, top in rows:
    print(f"{d_k:4d}  {scaled!s:6}  {std:10.2f}  {ent:7.2f}  {top:19.2f}")
    if scaled:
        assert 0.9 < std < 1.1, "scaled scores keep unit spread"
        assert ent > 0.85 * math.log(n_keys), "scaled softmax stays spread out"
    else:
        assert 0.9 < std / math.sqrt(d_k) < 1.1, "unscaled spread ~ sqrt(d_k)"
unscaled_big = [r for r in rows if r[0] == 1024 and not r[1]][0]
assert unscaled_big[3] < 1.0 and unscaled_big[4] > 0.9, (
    "unscaled softmax is nearly one-hot"
)

# %% Entropy of the attention weights: scaled vs unscaled
fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Attention entropy stays near its maximum for every d_k when scores are divided by "
    "sqrt(d_k), but falls towards zero (one-hot weights) without the scaling"
))
for scaled, name in ((True, "q·k / sqrt(d_k)"), (False, "q·k (unscaled)")):
    ax.plot(dims, [r[3] for r in rows if r[1] == scaled], "o-", label=name)
ax.axhline(math.log(n_keys), ls="--", c="gray", label="uniform over 64 keys")
ax.set(xscale="log", xlabel="key dimension d_k", ylabel="entropy of weights (nats)")
ax.legend()
fig.tight_layout()
