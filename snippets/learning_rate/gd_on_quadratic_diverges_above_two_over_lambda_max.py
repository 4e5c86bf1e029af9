# %% The largest stable learning rate, found by experiment, against 2 / lambda_max
import torch

torch.manual_seed(0)
d, steps = 20, 3000
A = torch.randn(200, d, dtype=torch.float64) * torch.logspace(0, -0.7, d)
H = A.T @ A / 200  # a positive definite Hessian: f(x) = 1/2 x^T H x
lam = torch.linalg.eigvalsh(H)  # ascending
lam_min, lam_max = lam[0].item(), lam[-1].item()
x0 = torch.randn(d, dtype=torch.float64)

x = x0.clone().requires_grad_()
opt = torch.optim.SGD([x], lr=0.1)
(0.5 * x @ H @ x).backward()
assert torch.allclose(x.grad, H @ x0), "the gradient of 1/2 x^T H x is H x"
opt.step()
assert torch.allclose(x.detach(), x0 - 0.1 * H @ x0), "SGD step: x - lr * H x"

def diverges(lrs):
    """Full-batch GD from x0, one run per learning rate, all at once: does |x| grow?"""
    X = x0.repeat(len(lrs), 1)
    for t in range(steps):
        if t == steps - 500:
            before = X.norm(dim=1)
        X = X - lrs[:, None] * (X @ H)  # H is symmetric
    after = X.norm(dim=1)  # below 2 / lambda_max, |x| can only shrink
    return ~(after < before) | ~after.isfinite(), after  # grew over the last 500

lo, hi = 1e-3, 1e2  # the search knows nothing about H
grid = torch.logspace(-3, 2, 200, dtype=torch.float64)
for _ in range(3):  # a coarse grid, then two finer grids around the first divergence
    bad, end = diverges(grid)
    first = int(bad.nonzero()[0])
    lo, hi = grid[first - 1].item(), grid[first].item()
    assert not bad[:first].any() and bad[first:].all(), "one threshold, no islands"
    grid = torch.linspace(lo, hi, 200, dtype=torch.float64)
print(f"lambda_min = {lam_min:.4f}, lambda_max = {lam_max:.4f}, "
      f"condition number = {lam_max / lam_min:.1f}")
print(f"|x| shrinks at lr {lo:.6f}, grows from lr {hi:.6f} on; "
      f"2 / lambda_max = {2 / lam_max:.6f}")
assert lo < 2 / lam_max < hi, "GD diverges just above 2 / lambda_max, not below"
print(f"at lr {hi:.6f}, |x_3000| / |x_0| = {end[first] / x0.norm():.2f}")
assert end[first] < x0.norm(), "just past the limit, x is still smaller than x0"
for factor in (0.98, 1.02):  # SGD with momentum 0.9: the limit moves to 2 (1 + 0.9)
    q = x0.clone().requires_grad_()
    heavy = torch.optim.SGD([q], lr=factor * 3.8 / lam_max, momentum=0.9)
    for _ in range(1000):
        q.grad = H @ q.detach(); heavy.step()
    print(f"momentum 0.9, lr = {factor} x 3.8 / lambda_max: |x| = {q.norm():.1e}")
    assert (q.norm() < x0.norm()) == (factor < 1), "momentum: limit 2 (1 + beta) / lam"

# %% Each direction shrinks by |1 - lr * lambda_i| per step; the worst one sets the pace
import matplotlib.pyplot as plt

Q = torch.linalg.eigh(H).eigenvectors
lr_opt = 2 / (lam_min + lam_max)
runs = {"too low: 0.1/lam_max": 0.1 / lam_max,
        "1/lam_max": 1 / lam_max,
        "best: 2/(lam_min+lam_max)": lr_opt,
        "too high: 1.99/lam_max": 1.99 / lam_max,
        "diverges: 2.02/lam_max": 2.02 / lam_max}
curves, top = {}, {}
for name, lr in runs.items():
    x, loss, along_top, norm = x0.clone(), [], [], []
    for t in range(1501):
        loss.append((0.5 * x @ H @ x).item())
        along_top.append((Q[:, -1] @ x).item())  # coordinate on the sharpest direction
        norm.append(x.norm().item())
        x = x - lr * H @ x
    curves[name], top[name] = loss, along_top
    rate = (norm[1500] / norm[1000]) ** (1 / 500)  # measured shrink factor per step
    theory = (1 - lr * lam).abs().max()
    n1000 = next((t for t, v in enumerate(loss) if v < loss[0] / 1000), None)
    print(f"{name:26s} lr {lr:.3f}: shrinks x {rate:.4f} per step "
          f"(max|1 - lr lam_i| {theory:.4f}); loss / 1000 at step {n1000}")
    assert abs(rate / theory - 1) < 0.01, f"{name}: rate is max |1 - lr lambda_i|"
near = lr_opt * torch.tensor([0.99, 1.0, 1.01], dtype=torch.float64)
X = x0.repeat(3, 1)  # the best step and its neighbours 1 % either side, at once
for t in range(1500):
    if t == 1000:
        at_1000 = X.norm(dim=1)
    X = X - near[:, None] * (X @ H)
shrink = (X.norm(dim=1) / at_1000) ** (1 / 500)
print("measured shrink per step at 0.99, 1 and 1.01 x the best step:",
      ", ".join(f"{v:.5f}" for v in shrink))
assert shrink.argmin() == 1, "2 / (lambda_min + lambda_max) is the fastest step"
signs = torch.tensor(top["too high: 1.99/lam_max"][:50]).sign()
assert (signs[1:] * signs[:-1] < 0).all(), "lr > 1 / lambda_max: top coordinate flips"

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.6), label=(
    "Left: loss against step on a log scale for five learning rates; 0.1 over lambda "
    "max falls slowly, the best constant rate falls fastest, 1.99 over lambda max "
    "creeps down and 2.02 over lambda max rises. Right: over the first 40 steps the "
    "coordinate along the sharpest direction flips sign every step, shrinking "
    "slowly at 1.99 over lambda max and growing at 2.02"))
for name in runs:
    ax1.semilogy(curves[name][:401], label=name)
for name, style in [("diverges: 2.02/lam_max", "--"),
                    ("too high: 1.99/lam_max", ".-")]:
    ax2.plot(top[name][:40], style, label=name)
ax1.set(xlabel="step", ylabel="loss  1/2 x^T H x")
ax2.set(xlabel="step", ylabel="coordinate along top eigenvector")
ax1.legend(fontsize=7)
ax2.legend(fontsize=7)
fig.tight_layout()
