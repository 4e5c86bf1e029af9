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
# quadratic near 0
assert torch.allclose(reg["Huber, delta=1"][small], 0.5 * r[small] ** 2)
# linear far out
assert torch.allclose(reg["Huber, delta=1"][~small], r.abs()[~small] - 0.5)
assert torch.equal(reg["Huber, delta=1"],
                   F.smooth_l1_loss(r, zero, reduction="none", beta=1.0))
slopes = {k: torch.autograd.grad(v.sum(), r, retain_graph=True)[0].abs().max().item()
          for k, v in reg.items()}
print("largest |d loss / d prediction| for |residual| <= 3:",
      {k: round(v, 2) for k, v in slopes.items()})
assert slopes["MSE"] > 5 and slopes["L1 (MAE)"] <= 1 and slopes["Huber, delta=1"] <= 1

# margin: y * logit, y in {-1, +1}
m = r.detach()
clf = {
    "log loss (BCE with logits)": F.binary_cross_entropy_with_logits(
        m, torch.ones_like(m), reduction="none"
    ),
    "hinge (SVM)": F.relu(1 - m),
    "0-1 error": (m <= 0).float(),
}
# log(1 + e^-margin)
assert torch.allclose(clf["log loss (BCE with logits)"], F.softplus(-m))

fig, axes = plt.subplots(1, 2, figsize=(6, 3.5), label=(
    "Left: MSE grows quadratically while L1 and Huber grow linearly for large "
    "residuals. Right: log loss and hinge are convex surrogates of the 0-1 error that "
    "keep penalising small positive margins"
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
assert abs(best_mse - data.mean()) < 2e-3
assert middle[0] - 1e-3 <= best_l1 <= middle[1] + 1e-3
