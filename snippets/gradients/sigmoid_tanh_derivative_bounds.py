# %% Derivatives of sigmoid, tanh and ReLU, computed by autograd
import torch
import torch.nn.functional as F
import matplotlib.pyplot as plt

# -6 to 6, includes 0 and 5 exactly
x = (torch.arange(-600, 601) / 100).requires_grad_()
acts = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "ReLU": torch.relu}
d = {name: torch.autograd.grad(f(x).sum(), x)[0] for name, f in acts.items()}
s, t = torch.sigmoid(x).detach(), torch.tanh(x).detach()
assert torch.allclose(d["sigmoid"], s * (1 - s), atol=1e-6), "sigmoid' = s (1 - s)"
assert torch.allclose(d["tanh"], 1 - t ** 2, atol=1e-6), "tanh' = 1 - tanh^2"
at0 = x.detach().abs().argmin()
for name in ("sigmoid", "tanh"):
    print(f"{name:7s}: max derivative {d[name].max():.4f} "
          f"at x = {x[d[name].argmax()]:.2f}, "
          f"at |x| = 5: {d[name][x.detach() == 5.0].item():.2e}")
assert d["sigmoid"].max() == d["sigmoid"][at0] == 0.25, "sigmoid' peaks at 1/4, at 0"
assert d["tanh"].max() == d["tanh"][at0] == 1.0, "tanh' peaks at 1, at 0"
assert torch.allclose(t, 2 * torch.sigmoid(2 * x.detach()) - 1, atol=1e-6), (
    "tanh is a rescaled sigmoid")
assert d["ReLU"][at0] == 0 and d["ReLU"][x.detach() > 0].eq(1).all(), (
    "relu' is 1 for every positive input (and PyTorch takes 0 at 0)")
print("best case over 10 sigmoid layers (activation factor only): "
      f"0.25**10 = {0.25 ** 10:.1e}")
assert torch.allclose(F.silu(x), x * torch.sigmoid(x)), "SiLU is x times a sigmoid gate"

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "The sigmoid derivative peaks at 0.25 at zero, the tanh derivative peaks at 1 at "
    "zero, and both fall towards zero as the input saturates, while the ReLU "
    "derivative is 1 for all positive inputs"
))
for name, g in d.items():
    ax.plot(x.detach(), g, label=f"{name}'")
ax.axhline(0.25, ls=":", lw=1)
ax.set(xlabel="pre-activation x", ylabel="derivative")
ax.legend()
fig.tight_layout()

# %% GELU and SiLU: slope near 1 only for large inputs, and slightly above 1 in between
for name, f in {"GELU": F.gelu, "SiLU": F.silu}.items():
    slope = torch.autograd.grad(f(x).sum(), x)[0]
    print(f"{name}: derivative {slope[at0]:.2f} at 0, "
          f"{slope[x.detach() == 0.5].item():.2f} at 0.5, "
          f"max {slope.max():.2f} at x = {x[slope.argmax()]:.2f}, "
          f"{slope[-1]:.3f} at 6")
    assert abs(slope[at0] - 0.5) < 1e-6 and slope.max() > 1.05, "not 1 for all x > 0"
    assert abs(slope[-1] - 1) < 0.02, "...but close to 1 for large inputs"
