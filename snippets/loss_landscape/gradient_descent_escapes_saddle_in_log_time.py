# %% f(x, y) = x^2/2 - y^2/2 + y^4/4: a saddle at 0, minima at (0, +1) and (0, -1)
import math
import torch
import matplotlib.pyplot as plt

torch.manual_seed(0)
f = lambda p: 0.5 * p[:, 0] ** 2 - 0.5 * p[:, 1] ** 2 + 0.25 * p[:, 1] ** 4
lr, steps, x0 = 0.1, 400, 1.5
eps = torch.tensor([0.0, 1e-2, 1e-4, 1e-6, 1e-8, -1e-3], dtype=torch.float64)
start = torch.stack([torch.full_like(eps, x0), eps], 1)  # one row per run

def descend(noise=0.0):
    """Plain gradient descent with torch.optim.SGD, every run at once."""
    p = start.clone().requires_grad_()
    opt = torch.optim.SGD([p], lr=lr)
    path = [p.detach().clone()]
    for _ in range(steps):
        opt.zero_grad(); f(p).sum().backward()  # rows do not interact
        p.grad += noise * torch.randn_like(p)  # optional isotropic noise (perturbed GD)
        opt.step()
        path.append(p.detach().clone())
    return torch.stack(path)  # (steps + 1, runs, 2)

path = descend()
t = torch.arange(steps + 1, dtype=torch.float64)
assert torch.allclose(path[:, :, 0], x0 * (1 - lr) ** t[:, None]), (
    "x contracts exactly as (1 - lr)^t x0 in every run")
on_manifold = path[:, 0]  # y0 = 0 exactly: the stable manifold of the saddle
assert torch.equal(on_manifold[:, 1], torch.zeros(steps + 1, dtype=torch.float64)), (
    "started on y = 0, y stays exactly 0")
print(f"y0 = 0: ends at ({on_manifold[-1, 0]:.1e}, {on_manifold[-1, 1]:.0f}), "
      f"f = {f(on_manifold[-1:]).item():.1e} (saddle value 0, minimum -0.25)")
assert abs(f(on_manifold[-1:]).item()) < 1e-30, "converges to the saddle, not a min"

# %% A tiny perturbation escapes, and the escape time grows like log(1/eps)
small = path[:, 3, 1]  # eps = 1e-6: still in the linear regime early on
lin = 30  # steps with |y| < 1e-4, where y^3 is negligible
assert torch.allclose(small[:lin], 1e-6 * (1 + lr) ** t[:lin], rtol=1e-6), (
    "near the saddle y grows as (1 + lr)^t y0, the negative-curvature closed form")
print("   eps    escape step (|y| > 0.5)   linear prediction   final f   final y")
escape = []
for i, e in enumerate(eps.tolist()[1:], start=1):
    T = int((path[:, i, 1].abs() > 0.5).nonzero()[0])
    pred = math.log(0.5 / abs(e)) / math.log(1 + lr)
    escape.append(T)
    fin = f(path[-1:, i]).item()
    print(f"{e:8.0e}   {T:10d}   {pred:20.1f}   {fin:9.4f}   {path[-1, i, 1]:+.4f}")
    assert abs(fin + 0.25) < 1e-9 and path[-1, i, 1] * e > 0, (
        "every perturbed run ends at the minimum on the side of its perturbation")
per_100x = math.log(100) / math.log(1 + lr)
gaps = [b - a for a, b in zip(escape[:3], escape[1:4])]
print(f"extra steps per 100x smaller eps: {gaps}, closed form {per_100x:.1f}")
assert all(abs(g - per_100x) <= 1 for g in gaps), (
    "escape time grows by log(100) / log(1 + lr) steps per factor 100 in eps")

noisy = descend(noise=1e-3)[:, 0]  # y0 = 0 again, now with gradient noise
print(f"y0 = 0 with gradient noise (std 1e-3): final f = "
      f"{f(noisy[-1:]).item():.4f}")
assert abs(f(noisy[-1:]).item() + 0.25) < 1e-4, "noise pushes it off the manifold"

fig, (ax, bx) = plt.subplots(1, 2, figsize=(9, 3.8), label=(
    "Left: contour plot of x squared over 2 minus y squared over 2 plus y to the "
    "fourth over 4, with gradient descent paths from x = 1.5: the path started at "
    "y = 0 runs straight into the saddle at the origin, the perturbed paths "
    "turn off towards the minimum at y = +1 or y = -1. Right: f against step: "
    "each perturbed run sits on a plateau at the saddle value 0 before dropping "
    "to -0.25, and the plateau is longer the smaller the perturbation"))
g = torch.linspace(-1.6, 1.6, 161, dtype=torch.float64)
GX, GY = torch.meshgrid(g, g, indexing="xy")
grid_f = f(torch.stack([GX.flatten(), GY.flatten()], 1)).reshape(GX.shape)
ax.contour(GX, GY, grid_f, levels=20, linewidths=0.6, alpha=0.6)
for i, e in enumerate(eps.tolist()):
    ax.plot(path[:, i, 0], path[:, i, 1], lw=1.5, label=f"y0 = {e:g}")
    bx.plot(t, f(path[:, i]), lw=1.5, label=f"y0 = {e:g}")
ax.plot([0, 0, 0], [0, 1, -1], "x", color="gray", ms=8)
ax.set(xlabel="x", ylabel="y", title="paths from x = 1.5")
bx.set(xlabel="step", ylabel="f", title="loss: plateau, then drop")
bx.legend(fontsize=7)
fig.tight_layout()
