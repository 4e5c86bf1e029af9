# %% Derivatives of sigmoid, tanh and ReLU, computed by autograd
import torch
import torch.nn.functional as F
import matplotlib.pyplot as plt

# -6 to 6, includes 0 and 5 exactly
x = (torch.arange(-600, 601) / 100).requires_grad_()
acts = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "ReLU": torch.relu}
d = {name: torch.autograd.grad(f(x).sum(), x)[0] for name, f in acts.items()}
s, t = torch.sigmoid(x).detach(), torch.tanh(x).detach()
assert torch.allclose(d["sigmoid"], s * (1 - s), atol=1e-6)
assert torch.allclose(d["tanh"], 1 - t ** 2, atol=1e-6)
at0 = x.detach().abs().argmin()
for name in ("sigmoid", "tanh"):
    print(f"{name:7s}: max derivative {d[name].max():.4f} "
          f"at x = {x[d[name].argmax()]:.2f}, "
          f"at |x| = 5: {d[name][x.detach() == 5.0].item():.2e}")
assert d["sigmoid"].max() == d["sigmoid"][at0] == 0.25  # the best case is 1/4
assert d["tanh"].max() == d["tanh"][at0] == 1.0         # tanh reaches 1 at 0
# tanh is a rescaled sigmoid
assert torch.allclose(t, 2 * torch.sigmoid(2 * x.detach()) - 1, atol=1e-6)
# PyTorch takes relu'(0) = 0
assert d["ReLU"][at0] == 0 and d["ReLU"][x.detach() > 0].eq(1).all()
print("best case over 10 sigmoid layers (activation factor only): "
      f"0.25**10 = {0.25 ** 10:.1e}")
# sigmoid lives on as a gate: SiLU
assert torch.allclose(F.silu(x), x * torch.sigmoid(x))

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
