# %% Five activations: autograd derivatives against the closed forms
import math

import torch
import torch.nn.functional as F
import matplotlib.pyplot as plt

torch.manual_seed(0)
x = (torch.arange(-400, 401, dtype=torch.float64) / 100).requires_grad_()
xd = x.detach()
s, t = torch.sigmoid(xd), torch.tanh(xd)
acts = {  # name: (function, derivative written out by hand)
    "sigmoid": (torch.sigmoid, s * (1 - s)),
    "tanh": (torch.tanh, 1 - t**2),
    "ReLU": (F.relu, (xd > 0).double()),
    "leaky ReLU": (F.leaky_relu, torch.where(xd > 0, 1.0, 0.01).double()),
    "ELU": (F.elu, torch.where(xd > 0, 1.0, xd.exp()).double()),
}
grads = {}
for name, (f, closed) in acts.items():
    grads[name] = torch.autograd.grad(f(x).sum(), x)[0]
    assert torch.allclose(grads[name], closed, atol=1e-12), f"{name}' closed form"
at0 = xd.abs().argmin()
print("derivative at 0:", {k: round(g[at0].item(), 3) for k, g in grads.items()})
assert grads["sigmoid"].max() == grads["sigmoid"][at0] == 0.25, "sigmoid' <= 1/4"
assert grads["ReLU"][at0] == 0 and grads["leaky ReLU"][at0] == 0.01, (
    "PyTorch takes the left slope at exactly 0")
for name in ("sigmoid", "tanh"):
    print(f"{name}' at x = 4: {grads[name][-1]:.2e}")

# %% Ranges and zero-centring: mean output for standard normal inputs
z = torch.randn(1_000_000, dtype=torch.float64)
means = {name: f(z).mean().item() for name, (f, _) in acts.items()}
for name, m in means.items():
    print(f"{name:10s} mean output {m:+.3f}")
assert abs(means["sigmoid"] - 0.5) < 0.002, "sigmoid: centred at 1/2, not 0"
assert abs(means["tanh"]) < 0.002, "tanh: odd, so zero mean on symmetric input"
relu_mean = 1 / math.sqrt(2 * math.pi)  # E[max(0, z)] for z ~ N(0, 1)
assert abs(means["ReLU"] - relu_mean) < 0.002, "ReLU mean = 1/sqrt(2 pi)"
leaky_mean = 0.99 * relu_mean  # E[z; z > 0] + 0.01 E[z; z < 0]
elu_mean = relu_mean + math.exp(0.5) * 0.5 * math.erfc(1 / math.sqrt(2)) - 0.5
print(f"closed forms: ReLU {relu_mean:.3f}, leaky ReLU {leaky_mean:.3f}, "
      f"ELU {elu_mean:.3f}")
assert abs(means["leaky ReLU"] - leaky_mean) < 0.002, "leaky ReLU mean (closed form)"
assert abs(means["ELU"] - elu_mean) < 0.002, "ELU mean (closed form)"
assert means["ELU"] < means["leaky ReLU"] < means["ReLU"], "negative part pulls mean"
print(f"ELU floor: {F.elu(torch.tensor(-50.0)).item():.3f} (saturates at -alpha)")

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.6), label=(
    "Left: sigmoid, tanh, ReLU, leaky ReLU and ELU between -4 and 4; sigmoid stays "
    "in 0 to 1, tanh in -1 to 1, ReLU is zero for negative inputs, leaky ReLU has a "
    "small negative slope and ELU bends smoothly down towards -1. Right: their "
    "derivatives; sigmoid's peaks at 0.25 and tanh's at 1, both at zero and both "
    "fading in the tails, ReLU's jumps from 0 to 1, leaky ReLU's from 0.01 to 1, "
    "and ELU's rises smoothly to 1 at zero"))
for name, (f, _) in acts.items():
    ax1.plot(xd, f(xd), label=name)
    ax2.plot(xd, grads[name], label=name)
ax1.set(xlabel="pre-activation x", ylabel="activation", ylim=(-1.5, 4))
ax2.set(xlabel="pre-activation x", ylabel="derivative", ylim=(-0.05, 1.1))
ax2.axhline(0.25, ls=":", lw=1, color="gray")
ax1.legend(fontsize=8)
fig.tight_layout()
