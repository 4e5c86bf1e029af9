# %% Weight decay under Adam + L2 and under AdamW, for small and large gradients
import torch
import matplotlib.pyplot as plt

torch.manual_seed(0)
n, T, lr, wd = 1000, 500, 0.01, 0.2  # n independent weights, each starting at 1
xi = torch.randn(T, n, dtype=torch.float64)  # zero-mean gradient noise, no signal

def run(Opt, scales, start=1.0, decay=wd, **kw):
    """{s: (weights, mean weight after each step)} when the data gradient is s * noise;
    every scale runs at once, a row each (Adam's update is elementwise)."""
    s = torch.tensor(scales, dtype=torch.float64)[:, None]
    p = torch.full((len(s), n), start, dtype=torch.float64, requires_grad=True)
    opt, means = Opt([p], lr=lr, weight_decay=decay, **kw), [p.detach().mean(1)]
    for t in range(T):
        p.grad = s * xi[t]; opt.step(); means.append(p.detach().mean(1))
    means = torch.stack(means)
    return {sc: (p.detach()[i], means[:, i]) for i, sc in enumerate(scales)}

q = torch.ones(n, dtype=torch.float64, requires_grad=True)  # AdamW by hand:
plain = torch.optim.Adam([q], lr=lr)  # shrink by (1 - lr wd), then Adam without decay
for t in range(T):
    with torch.no_grad():
        q.mul_(1 - lr * wd)
    q.grad = 100 * xi[t]; plain.step()
both = {name: run(Opt, (0.01, 100.0)) for name, Opt in [
    ("Adam + L2", torch.optim.Adam), ("AdamW", torch.optim.AdamW)]}
runs = {(name, s): both[name][s] for s in (0.01, 100.0) for name in both}
decoupled = run(torch.optim.Adam, (0.01,), decoupled_weight_decay=True)[0.01]
assert torch.allclose(runs["AdamW", 100.0][0], q.detach(), rtol=1e-9), (
    "torch AdamW: p <- p (1 - lr wd), then Adam on the data gradient alone")
assert torch.equal(runs["AdamW", 0.01][0], decoupled[0]), (
    "AdamW is Adam(decoupled_weight_decay=True)")
gap = (runs["AdamW", 0.01][0] - runs["AdamW", 100.0][0]).abs().max()
print(f"AdamW, gradient scale 0.01 against 100: largest weight gap {gap:.1e}")
assert gap < 1e-4, "AdamW: the same weights whatever the gradient scale"
default = torch.optim.AdamW([q]).defaults["weight_decay"]
print(f"AdamW default weight_decay: {default}")
assert default == 1e-2, "AdamW's default weight_decay is 0.01 (Adam's is 0)"
decay = (1 - lr * wd) ** T
se = runs["AdamW", 100.0][0].std() / n**0.5  # standard error of the mean weight
print(f"{T} steps, lr {lr}, weight_decay {wd}: (1 - lr wd)^T = {decay:.4f}")
for (name, s), (p, means) in runs.items():
    print(f"{name:9s} gradient scale {s:6}: mean weight {means[-1]:.4f}")
assert abs(runs["AdamW", 100.0][1][-1] - decay) < 3 * se, (
    "AdamW shrinks the mean weight by (1 - lr wd) per step")
from_zero = run(torch.optim.AdamW, (100.0,), start=0.0)[100.0][0]  # starts at 0
assert torch.allclose(runs["AdamW", 100.0][0] - from_zero,
                      torch.full((n,), decay, dtype=torch.float64), rtol=1e-9), (
    "AdamW: what is left of the start is exactly (1 - lr wd)^T, whatever the noise")
small = runs["Adam + L2", 0.01][1][-1]
assert small < 0.1 * decay, "Adam + L2: small-gradient weights decay far more"
no_decay = run(torch.optim.Adam, (100.0,), decay=0.0)[100.0]  # same noise, no decay
shrunk = (runs["Adam + L2", 100.0][0] - no_decay[0]).mean()  # the noise cancels
closed = (1 - lr * wd / 100) ** T - 1  # decay divided by sqrt(v), about 100
print(f"Adam without decay, scale 100: mean weight {no_decay[1][-1]:.4f}; Adam + L2 "
      f"minus it: {shrunk:.6f}, against (1 - lr wd / 100)^T - 1 = {closed:.6f}")
assert abs(shrunk / closed - 1) < 0.05, (
    "Adam + L2, large gradients: the decay is divided by the gradient scale")

fig, ax = plt.subplots(figsize=(6.5, 3.4), label=(
    "Mean weight against step under weight decay 0.2: with Adam plus L2, the "
    "weights with small gradients fall to almost zero by step 200 and the "
    "weights with large gradients stay near 1; AdamW's two curves lie on top of each "
    "other and on the dotted curve (1 - lr wd) to the power t"))
for (name, s), (p, means) in runs.items():
    ax.plot(means, "--" if name == "AdamW" else "-", label=f"{name}, scale {s}")
ax.plot((1 - lr * wd) ** torch.arange(T + 1.0), ":", color="gray",
        label="(1 - lr wd)^t")
ax.set(xlabel="step", ylabel="mean weight")
ax.legend(fontsize=8)
fig.tight_layout()

# %% Underdetermined least squares: 30 examples, 100 badly scaled features
n, d, T = 30, 100, 1000
scale = torch.logspace(0, -2, d, dtype=torch.float64)  # feature scales 1 ... 0.01
X = torch.randn(n, d, dtype=torch.float64) * scale
X_test = torch.randn(500, d, dtype=torch.float64) * scale
w_true = torch.randn(d, dtype=torch.float64)
y, y_test = X @ w_true, X_test @ w_true
w_min_norm = torch.linalg.pinv(X) @ y  # the interpolant of smallest norm
lam = torch.linalg.eigvalsh(X.T @ X / n)[-1].item()

def fit(Opt, **kw):
    w = torch.zeros(d, dtype=torch.float64, requires_grad=True)
    opt, train = Opt([w], **kw), []
    for t in range(T):
        r = X @ w.detach() - y
        train.append(0.5 * (r**2).mean().item())
        w.grad = X.T @ r / n; opt.step()  # gradient of 1/2 mean (Xw - y)^2
    stays = torch.tensor(train).flip(0).cummax(0).values.flip(0) < 1e-6 * train[0]
    hit = int(stays.nonzero()[0]) if stays.any() else None  # below loss/1e6 from then
    test = ((X_test @ w.detach() - y_test) ** 2).mean().item()
    return w.detach(), train, test, hit

fits = {"GD, lr 1.9/lam_max": fit(torch.optim.SGD, lr=1.9 / lam),
        "momentum 0.9, lr 0.3/lam_max": fit(torch.optim.SGD, lr=0.3 / lam,
                                            momentum=0.9)}
adam = {lr: fit(torch.optim.Adam, lr=lr) for lr in (0.01, 0.03, 0.1, 0.3)}
best = min(adam, key=lambda lr: adam[lr][3] or T)  # the fastest to loss / 1e6
print("Adam's step to loss/1e6 by lr:", {lr: f[3] for lr, f in adam.items()})
fits[f"Adam, lr {best}"] = adam[best]
for name, (w, train, test, hit) in fits.items():
    print(f"{name:28s} loss/1e6 at step {hit}; |w| {w.norm():.3f}, distance to "
          f"min-norm {(w - w_min_norm).norm():.2g}, test MSE {test:.3f}")
    assert train[-1] < 1e-6 * train[0], f"{name} interpolates the training set"
(gd, *_), (hb, *_), (w_adam, _, adam_test, _) = fits.values()
assert torch.allclose(gd, w_min_norm, atol=1e-4) and torch.allclose(
    hb, w_min_norm, atol=1e-4), "GD and momentum from 0 find the min-norm interpolant"
assert (w_adam - w_min_norm).norm() > 0.5 * w_min_norm.norm(), (
    "Adam lands on a different interpolant")
assert adam_test > fits["GD, lr 1.9/lam_max"][2], (
    "in this run Adam's interpolant has the larger test error")
gd_hit, hb_hit, adam_hit = (f[3] for f in fits.values())
assert adam_hit < hb_hit < gd_hit, "in this run Adam gets there first, then momentum"
