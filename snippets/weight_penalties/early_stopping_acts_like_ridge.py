# %% GD stopped after t steps filters each eigen-direction like ridge with 1/(lr t)
import torch

torch.manual_seed(0)
n, d = 50, 30
X = 3 * torch.randn(n, d, dtype=torch.float64) * torch.logspace(0, -1.5, d)
w_true = torch.randn(d, dtype=torch.float64)
y = X @ w_true + 0.3 * torch.randn(n, dtype=torch.float64)
G, b = X.T @ X / n, X.T @ y / n  # loss 1/(2n) |Xw - y|^2: gradient G w - b
s, V = torch.linalg.eigh(G)
lr = 1 / s[-1].item()  # the curvature is about 10 here, so lr is far from 1
print(f"lr = {lr:.3f}")
eye = torch.eye(d, dtype=torch.float64)
coef = V.T @ b / s  # the OLS solution, in the eigenbasis
ridge = lambda a: torch.linalg.solve(G + a * eye, b)

w, t_prev = torch.zeros(d, dtype=torch.float64), 0
print("   t   1/(lr t)  best-matching alpha  |w_t - ridge| / |w_t - OLS|")
for t in (10, 100, 1000):
    for _ in range(t - t_prev):
        w = w - lr * (G @ w - b)
    t_prev = t
    gd_filter = 1 - (1 - lr * s) ** t  # closed form of t steps from w = 0
    assert torch.allclose(w, V @ (gd_filter * coef), atol=1e-10), "GD = spectral filter"
    alpha = 1 / (lr * t)
    ridge_filter = s / (s + alpha)
    assert torch.allclose(ridge(alpha), V @ (ridge_filter * coef)), "ridge filter"
    gap = (gd_filter - ridge_filter).abs().max().item()
    alphas = alpha * torch.logspace(-1, 1, 41, dtype=torch.float64)
    errs = torch.stack([(w - ridge(a)).norm() for a in alphas])
    best = alphas[errs.argmin()].item()
    ratio = ((w - ridge(alpha)).norm() / (w - V @ coef).norm()).item()
    print(f"{t:4d}  {alpha:9.4f}  {best:19.4f}  {ratio:27.3f}"
          f"   (max filter gap {gap:.3f})")
    assert 0.5 < best / alpha < 2, "the best-matching ridge alpha is about 1/(lr t)"
    assert ratio < 0.35, "w_t is far closer to ridge(1/(lr t)) than to OLS"
    assert gap < 0.25, "filters 1-(1-lr s)^t and s/(s+alpha) differ by < 0.25"

# %% Patience on the validation loss: stop, restore the best checkpoint
import matplotlib.pyplot as plt

torch.manual_seed(0)
n, d, nv = 40, 40, 500
scale = torch.logspace(0, -1, d)
Xtr = torch.randn(n, d, dtype=torch.float64) * scale
Xva = torch.randn(nv, d, dtype=torch.float64) * scale
w_true = torch.randn(d, dtype=torch.float64) * 0.5
ytr = Xtr @ w_true + 1.0 * torch.randn(n, dtype=torch.float64)
yva = Xva @ w_true + 1.0 * torch.randn(nv, dtype=torch.float64)
G, b = Xtr.T @ Xtr / n, Xtr.T @ ytr / n
lr = 1 / torch.linalg.eigvalsh(G)[-1].item()
mse = lambda A, v, w: ((A @ w - v) ** 2).mean().item()

w = torch.zeros(d, dtype=torch.float64)
train, val, best, best_t, bad, patience, stop = [], [], float("inf"), 0, 0, 20, None
for t in range(2000):
    train.append(mse(Xtr, ytr, w)); val.append(mse(Xva, yva, w))
    if stop is None:
        if val[-1] < best:
            best, best_t, best_w, bad = val[-1], t, w.clone(), 0
        else:
            bad += 1
        if bad >= patience:  # patience steps in a row without a new best
            stop = t
    w = w - lr * (G @ w - b)  # full-batch GD; keep going only to draw the curve
print(f"stopped at step {stop}, restored step {best_t}: val {best:.3f}; "
      f"at step 2000 val {val[-1]:.3f}; lowest val over the run {min(val):.3f}")
assert mse(Xva, yva, best_w) == min(val[:stop + 1]), "restored = best checkpoint"
assert best == min(val), "no later step of the whole run beats the restored one"
assert best < 0.8 * val[-1], "early stopping beats training to the end"
alphas = torch.logspace(-4, 1, 60, dtype=torch.float64)
ridge_val = [mse(Xva, yva, torch.linalg.solve(G + a * torch.eye(d,
             dtype=torch.float64), b)) for a in alphas]
print(f"best ridge on the same validation set: val {min(ridge_val):.3f}")
assert best < 1.1 * min(ridge_val), "early stopping about as good as tuned ridge"

fig, ax = plt.subplots(figsize=(6.5, 3.4), label=(
    "Training and validation loss of gradient descent on a linear regression with "
    "as many weights as training points, against step on a log axis: training "
    "loss keeps falling, "
    "validation loss falls, bottoms out and rises again; a vertical line marks "
    "the restored best step and a dotted one the step where patience ran out"))
ax.semilogx(range(1, 2001), train, label="train")
ax.semilogx(range(1, 2001), val, label="validation")
ax.axvline(best_t + 1, color="gray", label=f"best checkpoint (step {best_t})")
ax.axvline(stop + 1, color="gray", ls=":", label=f"patience runs out (step {stop})")
ax.set(xlabel="step", ylabel="MSE")
ax.legend(fontsize=8)
fig.tight_layout()
