# %% Spread, entropy and gradient of the softmax, with and without 1/sqrt(d_k)
import math
import matplotlib.pyplot as plt
import torch
from torch.autograd.functional import jacobian

torch.manual_seed(0)
n_queries, n_keys = 256, 64
dims = [4, 16, 64, 256, 1024]


def softmax_jacobian(w):  # d softmax / d scores = diag(w) - w w^T, one per row
    return torch.diag_embed(w) - w[:, :, None] * w[:, None, :]


rows = []
for d_k in dims:
    # independent, zero-mean, unit-variance entries
    q, k = torch.randn(n_queries, d_k), torch.randn(n_keys, d_k)
    scores = q @ k.T
    for scale in (1.0, 1 / math.sqrt(d_k)):
        w = (scores * scale).softmax(dim=-1)
        entropy = -(w * w.clamp_min(1e-30).log()).sum(-1).mean().item()
        top = w.max(-1).values.mean().item()  # 1.0 would be one-hot
        grad = softmax_jacobian(w).flatten(1).norm(dim=1).mean().item()
        std = (scores * scale).std().item()
        rows.append((d_k, scale != 1.0, std, entropy, top, grad))

# the closed-form Jacobian is what autograd computes for a softmax row
row = scores[0] / math.sqrt(dims[-1])
assert torch.allclose(jacobian(lambda s: s.softmax(-1), row),
                      softmax_jacobian(row.softmax(-1)[None])[0], atol=1e-6), (
    "diag(a) - a a^T is the softmax Jacobian"
)

print(f"entropy of uniform weights over {n_keys} keys: {math.log(n_keys):.2f} nats")
print(" d_k  scaled  std(score)  entropy  largest weight  |Jacobian|")
for d_k, scaled, std, ent, top, grad in rows:
    print(f"{d_k:4d}  {scaled!s:6}  {std:10.2f}  {ent:7.2f}  {top:14.2f}  {grad:10.3f}")
    if scaled:
        assert 0.9 < std < 1.1, "scaled scores keep unit spread"
        assert ent > 0.85 * math.log(n_keys), "scaled softmax stays spread out"
    else:
        assert 0.9 < std / math.sqrt(d_k) < 1.1, "unscaled spread ~ sqrt(d_k)"
table = {(r[0], r[1]): r for r in rows}
assert table[1024, False][3] < 1.0 and table[1024, False][4] > 0.9, (
    "unscaled softmax at d_k = 1024 is nearly one-hot"
)
scaled_grads = [table[d, True][5] for d in dims]
assert max(scaled_grads) < 1.1 * min(scaled_grads), "scaled: same gradient at any d_k"
assert table[1024, False][5] < 0.5 * table[1024, True][5], (
    "unscaled at d_k = 1024: less than half the gradient of the scaled softmax"
)
assert table[4, False][5] > table[4, True][5], (
    "not monotone: at small d_k the unscaled softmax passes back more gradient"
)

# %% Entropy and gradient size: scaled vs unscaled
fig, axes = plt.subplots(1, 2, figsize=(7, 3.2), label=(
    "Left: attention entropy stays near its maximum for every d_k when scores are "
    "divided by sqrt(d_k), but falls towards zero without the scaling. Right: the "
    "softmax Jacobian norm stays constant with scaling; without it, it is larger at "
    "small d_k and falls to about a third at d_k = 1024"
))
for scaled, name in ((True, "q·k / sqrt(d_k)"), (False, "q·k (unscaled)")):
    axes[0].plot(dims, [table[d, scaled][3] for d in dims], "o-", label=name)
    axes[1].plot(dims, [table[d, scaled][5] for d in dims], "o-", label=name)
axes[0].axhline(math.log(n_keys), ls="--", c="gray", label="uniform over 64 keys")
axes[0].set(xscale="log", xlabel="key dimension d_k", ylabel="entropy (nats)")
axes[1].set(xscale="log", xlabel="key dimension d_k", ylabel="mean |Jacobian| per row")
axes[0].legend(fontsize=8)
fig.tight_layout()
