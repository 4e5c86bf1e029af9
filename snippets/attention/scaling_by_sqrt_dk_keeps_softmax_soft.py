# %% The variance of q·k grows like d_k; dividing by sqrt(d_k) brings it back to 1
import math
import matplotlib.pyplot as plt
import torch
from torch.func import jacrev, vmap

torch.manual_seed(0)
dims = [4, 16, 64, 256, 1024]
n_pairs = 4096  # independent (q, k) pairs per width
print(" d_k   Var(q.k)   Var(q.k / sqrt(d_k))")
for d_k in dims:
    q, k = torch.randn(n_pairs, d_k), torch.randn(n_pairs, d_k)  # iid, mean 0, var 1
    s = (q * k).sum(-1)  # one dot product per pair; its mean is 0
    var, var_scaled = s.pow(2).mean().item(), (s / math.sqrt(d_k)).pow(2).mean().item()
    print(f"{d_k:4d} {var:10.1f} {var_scaled:22.3f}")
    # the mean of N draws of s^2 has standard error sqrt(Var(s^2) / N), where
    # Var(s^2) = E s^4 - d_k^2 = 2 d_k^2 + 6 d_k for Gaussian entries
    tol = 4 * math.sqrt((2 * d_k**2 + 6 * d_k) / n_pairs)  # 4 standard errors
    assert abs(var - d_k) < tol, "Var(q.k) = d_k for independent unit-variance entries"
    # var_scaled is var / d_k, so the assert above also puts it within tol / d_k of 1

# %% Unscaled scores saturate the softmax: top weight near 1, little gradient back
n_q, n_keys = 256, 64
jac = vmap(jacrev(lambda e: e.softmax(-1)))  # autograd's d weights / d scores, per row
stats = {}
for d_k in dims:
    q, k = torch.randn(n_q, d_k), torch.randn(n_q, n_keys, d_k)  # own keys per query
    scores = torch.einsum("qd,qkd->qk", q, k)
    for scaled in (False, True):
        e = scores / math.sqrt(d_k) if scaled else scores
        w, J = e.softmax(-1), jac(e)
        closed = torch.diag_embed(w) - w[:, :, None] * w[:, None, :]
        assert torch.allclose(J, closed, atol=1e-6), "Jacobian = diag(a) - a a^T"
        top, grad = w.max(-1).values, J.flatten(1).norm(dim=1)  # one value per query
        # J is positive semi-definite, so |J| <= trace J = 1 - sum a^2 <= 2 (1 - top)
        assert (grad <= 2 * (1 - top) + 1e-6).all(), "|J| <= 2 (1 - top weight)"
        stats[d_k, scaled] = [(x.mean().item(), x.std().item() / n_q**0.5)
                              for x in (top, grad, 2 * (1 - top))]  # mean, std error

print(" d_k  scaled  top weight  |Jacobian|  bound 2(1 - top)")
for (d_k, scaled), ((top, _), (grad, _), (bound, _)) in stats.items():
    print(f"{d_k:4d}  {scaled!s:6}  {top:10.2f}  {grad:10.3f}  {bound:16.3f}")


def z(a, b):  # difference of two means in standard errors (the rows are independent)
    return (a[0] - b[0]) / math.hypot(a[1], b[1])


top_u, grad_u = ([stats[d, False][i][0] for d in dims] for i in (0, 1))
assert all(a < b for a, b in zip(top_u, top_u[1:])), "unscaled: top weight rises"
assert all(a > b for a, b in zip(grad_u[1:], grad_u[2:])), "unscaled: |J| falls from 16"
assert z(stats[4, False][1], stats[4, True][1]) > 4, (
    "not monotone: at d_k = 4 the unscaled softmax passes back more gradient"
)
assert z(stats[1024, True][1], stats[1024, False][1]) > 4, (
    "at d_k = 1024 the unscaled softmax passes back less gradient than the scaled one"
)
assert stats[1024, False][2][0] < stats[1024, True][1][0], (
    "in this run, unscaled at d_k = 1024, even the bound is below the scaled |J|"
)
# reference: iid N(0, 1) scores, the large-d_k limit of q.k / sqrt(d_k), with
# |diag(a) - a a^T|^2 = sum a^2 - 2 sum a^3 + (sum a^2)^2 written out
a_ref = torch.randn(16384, n_keys).softmax(-1)
s2 = a_ref.pow(2).sum(-1)
ref = (a_ref.max(-1).values.mean().item(),
       (s2 - 2 * a_ref.pow(3).sum(-1) + s2**2).sqrt().mean().item())
print(f"iid N(0, 1) scores: top weight {ref[0]:.3f}, |Jacobian| {ref[1]:.3f}")
assert all(abs(stats[d, True][i][0] / ref[i] - 1) < 0.2 for d in dims
           for i in (0, 1)), "scaled: top weight and |J| within 20 % of the limit"
ratio = stats[1024, False][1][0] / stats[1024, True][1][0]
print(f"d_k = 1024: unscaled |J| is {ratio:.2f} of the scaled one")

# %% With only 4 keys the order flips: the scaled softmax passes back more gradient
few_rows, few = 1024, {}
for d_k in dims:
    q, k = torch.randn(few_rows, d_k), torch.randn(few_rows, 4, d_k)
    scores = torch.einsum("qd,qkd->qk", q, k)
    for scaled in (False, True):
        grad = jac(scores / math.sqrt(d_k) if scaled else scores).flatten(1).norm(dim=1)
        few[d_k, scaled] = (grad.mean().item(), grad.std().item() / few_rows**0.5)
    print(f"d_k = {d_k:4d}, 4 keys: |Jacobian| unscaled {few[d_k, False][0]:.3f}, "
          f"scaled {few[d_k, True][0]:.3f}")
assert all(z(few[d, True], few[d, False]) > 4 for d in dims), (
    "with 4 keys the scaled softmax passes back more gradient at every d_k"
)

# %% Top weight and gradient size: scaled vs unscaled
fig, axes = plt.subplots(1, 2, figsize=(7, 3.2), label=(
    "Left: the largest attention weight stays near 0.1 for every d_k when scores are "
    "divided by sqrt(d_k), but climbs towards 1 without the scaling. Right: the "
    "softmax Jacobian norm stays near 0.18 with scaling; without it, it is larger at "
    "small d_k, then falls below the scaled value, under the bound 2(1 - top weight)"
))
for scaled, name in ((True, "q·k / sqrt(d_k)"), (False, "q·k (unscaled)")):
    axes[0].plot(dims, [stats[d, scaled][0][0] for d in dims], "o-", label=name)
    axes[1].plot(dims, [stats[d, scaled][1][0] for d in dims], "o-", label=name)
axes[1].plot(dims, [stats[d, False][2][0] for d in dims], "k--", lw=1,
             label="bound 2(1 - top), unscaled")
axes[1].set_ylim(0, 0.4)
axes[0].set(xscale="log", xlabel="key dimension d_k", ylabel="mean top weight")
axes[1].set(xscale="log", xlabel="key dimension d_k", ylabel="mean |Jacobian| per row")
axes[0].legend(fontsize=8)
axes[1].legend(fontsize=8)
fig.tight_layout()
