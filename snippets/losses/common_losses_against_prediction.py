# %% Regression and classification losses as a function of the prediction
import torch
import torch.nn.functional as F
import matplotlib.pyplot as plt

# residual: prediction - target
r = torch.linspace(-3, 3, 601, requires_grad=True)
zero = torch.zeros_like(r)
reg = {"MSE": F.mse_loss(r, zero, reduction="none"),
       "L1 (MAE)": F.l1_loss(r, zero, reduction="none"),
       "Huber, delta=1": F.huber_loss(r, zero, reduction="none", delta=1.0)}
small = r.abs() <= 1
huber = reg["Huber, delta=1"]
assert torch.allclose(huber[small], 0.5 * r[small] ** 2), "Huber: quadratic near 0"
assert torch.allclose(huber[~small], r.abs()[~small] - 0.5), "Huber: linear far out"
assert torch.equal(huber, F.smooth_l1_loss(r, zero, reduction="none", beta=1.0)), (
    "SmoothL1Loss equals HuberLoss at beta = delta = 1"
)
assert torch.allclose(F.smooth_l1_loss(r, zero, reduction="none", beta=2.0),
                      F.huber_loss(r, zero, reduction="none", delta=2.0) / 2), (
    "in general SmoothL1Loss(beta) = HuberLoss(delta=beta) / beta"
)
slopes = {k: torch.autograd.grad(v.sum(), r, retain_graph=True)[0]
          for k, v in reg.items()}
rd = r.detach()
nonzero = rd != 0
assert torch.allclose(slopes["MSE"], 2 * rd), "MSE slope 2r grows with the error"
assert torch.equal(slopes["L1 (MAE)"][nonzero], rd.sign()[nonzero]), "L1 slope +-1"
assert torch.allclose(slopes["Huber, delta=1"], rd.clamp(-1, 1)), "Huber slope capped"
print("largest |d loss / d prediction| for |residual| <= 3:",
      {k: round(v.abs().max().item(), 2) for k, v in slopes.items()})

# margin: y * logit, y in {-1, +1}
m = r.detach().clone().requires_grad_()
clf = {
    "log loss (BCE with logits)": F.binary_cross_entropy_with_logits(
        m, torch.ones_like(m), reduction="none"
    ),
    "hinge (SVM)": F.relu(1 - m),
    "0-1 error": (m <= 0).float(),
}
log_loss, hinge = clf["log loss (BCE with logits)"], clf["hinge (SVM)"]
assert torch.allclose(log_loss, F.softplus(-m)), "log loss = log(1 + e^-margin)"
g_log, = torch.autograd.grad(log_loss.sum(), m, retain_graph=True)
g_hinge, = torch.autograd.grad(hinge.sum(), m)
past = m.detach() >= 1
assert (g_log < 0).all(), "log loss keeps decreasing at every margin"
assert torch.equal(hinge[past], torch.zeros(int(past.sum()))) and (
    torch.equal(g_hinge[past], torch.zeros(int(past.sum())))
), "hinge is exactly 0, with zero gradient, once the margin reaches 1"
assert torch.equal(g_hinge[~past], -torch.ones(int((~past).sum()))), (
    "below margin 1 the hinge pulls with slope -1"
)
print(f"margin 3: log loss {log_loss[-1]:.4f} (slope {g_log[-1]:.4f}), "
      f"hinge {hinge[-1]:.1f} (slope {g_hinge[-1] + 0.0:.1f})")
clf = {k: v.detach() for k, v in clf.items()}
m = m.detach()

fig, axes = plt.subplots(1, 2, figsize=(6, 3.5), label=(
    "Left: MSE grows quadratically while L1 and Huber grow linearly for large "
    "residuals. Right: log loss and hinge are convex surrogates of the 0-1 error; "
    "hinge reaches zero at margin 1 while log loss keeps decreasing"
))
for name, v in reg.items():
    axes[0].plot(r.detach(), v.detach(), label=name)
for name, v in clf.items():
    axes[1].plot(m, v, label=name)
axes[0].set(xlabel="prediction - target", ylabel="loss", ylim=(0, 4.5),
            title="regression")
axes[1].set(xlabel="margin y * logit", ylabel="loss", ylim=(0, 4.5),
            title="binary classification")
for ax in axes:
    ax.legend(fontsize=7)
fig.tight_layout()

# %% What the choice assumes: MSE is minimised by the mean, L1 by the median
g = torch.Generator().manual_seed(0)
# 5% outliers
data = torch.cat([torch.randn(95, generator=g), 20 + torch.randn(5, generator=g)])
# candidate constant predictions
c = torch.linspace(-2, 4, 6001)
best_mse = c[((data[None] - c[:, None]) ** 2).mean(1).argmin()]
best_l1 = c[(data[None] - c[:, None]).abs().mean(1).argmin()]
print(f"mean {data.mean():.3f} -> best MSE constant {best_mse:.3f}")
print(f"median {data.median():.3f} -> best L1 constant {best_l1:.3f}")
# n = 100: any point between the two middle values
middle = data.sort().values[49:51]
assert abs(best_mse - data.mean()) < 2e-3, "MSE prefers the mean"
assert middle[0] - 1e-3 <= best_l1 <= middle[1] + 1e-3, "L1 prefers the median"

# %% Huber's best constant: near the median for small delta, the mean for large delta
def best_huber(values, delta, grid):
    pred = grid[:, None].expand(-1, len(values))
    target = values[None].expand(len(grid), -1)
    loss = F.huber_loss(pred, target, reduction="none", delta=delta).mean(1)
    return grid[loss.argmin()]

near_median, at_mean = best_huber(data, 0.05, c), best_huber(data, 30.0, c)
print(f"Huber best constant: delta 0.05 -> {near_median:.3f}, "
      f"delta 30 -> {at_mean:.3f}")
# over half the points lie beyond any c more than delta from the middle pair
assert middle[0] - 0.05 - 1e-3 <= near_median <= middle[1] + 0.05 + 1e-3, (
    "small delta: within delta of the median")
assert (data[None] - c[:, None]).abs().max() < 30, "delta 30: Huber is MSE / 2 here"
assert abs(at_mean - data.mean()) < 2e-3, "large delta: the mean"
# not always in between: five points, delta 0.5
five, fine = torch.tensor([-3.0, -1.0, 0.0, 0.0, 3.0]), torch.linspace(-1, 1, 20001)
root = -0.25  # clipped residuals -1/2, -1/2, 1/4, 1/4, 1/2 sum to zero here
assert (five - root).clamp(-0.5, 0.5).sum() == 0, "root of Huber's estimating equation"
h5 = best_huber(five, 0.5, fine)
print(f"five points: mean {five.mean():.3f}, median {five.median():.3f}, "
      f"Huber (delta 0.5) {h5:.3f}")
assert abs(h5 - root) < 2e-4 and h5 < five.mean() < five.median(), (
    "Huber's best constant can lie outside [mean, median]")
assert abs(h5 - five.median()) <= 0.5, "...yet within delta of the median"
