# %% Weight-gradient norm per layer in a 20-layer MLP: sigmoid vs tanh vs ReLU
import torch
from torch import nn
import matplotlib.pyplot as plt

torch.manual_seed(0)
depth, width = 20, 128
X, y = torch.randn(256, width), torch.randn(256, 1)

def weight_grads(act, init):
    layers = []
    for _ in range(depth):
        lin = nn.Linear(width, width)
        init(lin.weight)
        nn.init.zeros_(lin.bias)
        layers += [lin, act()]
    net = nn.Sequential(*layers, nn.Linear(width, 1))
    nn.functional.mse_loss(net(X), y).backward()
    return [net[2 * i].weight.grad for i in range(depth)]

grads = {
    "sigmoid (Xavier)": weight_grads(nn.Sigmoid, nn.init.xavier_normal_),
    "tanh (Xavier x 5/3)": weight_grads(
        nn.Tanh, lambda w: nn.init.xavier_normal_(w, gain=5 / 3)
    ),
    "ReLU (He)": weight_grads(
        nn.ReLU, lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu")
    ),
}
norms = {name: [g.norm().item() for g in gs] for name, gs in grads.items()}
ratio = {name: g[0] / g[-1] for name, g in norms.items()}
spread = {name: max(g) / min(g) for name, g in norms.items()}  # over all 20 layers
for name, g in norms.items():
    print(f"{name:20s} grad norm, layer 1: {g[0]:.2e}, layer {depth}: {g[-1]:.2e}, "
          f"ratio {ratio[name]:.1e}; largest / smallest layer {spread[name]:.3g}")
assert ratio["sigmoid (Xavier)"] < 1e-10, "sigmoid: the first layer's gradient vanishes"
assert spread["tanh (Xavier x 5/3)"] < 10, "tanh: all layers within 10x of each other"
assert spread["ReLU (He)"] < 10, "ReLU with He: all layers within 10x of each other"

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Per-layer weight-gradient norms on a log scale: in the sigmoid network they "
    "shrink by many orders of magnitude towards the input, while tanh with scaled "
    "Xavier and ReLU with He stay within one order of magnitude"
))
for name, g in norms.items():
    ax.semilogy(range(1, depth + 1), g, "o-", ms=3, label=name)
ax.set(xlabel="layer (1 = nearest the input)", ylabel="weight-gradient norm",
       xticks=[1, 5, 10, 15, 20])
ax.legend()
fig.tight_layout()

# %% In float16, small gradients become exact zeros unless the loss is scaled
def layers_mostly_zero(gs, scale):
    # layers where over half the gradient entries round to 0 in float16
    return sum(((g * scale).half() == 0).float().mean().item() > 0.5 for g in gs)

plain = layers_mostly_zero(grads["sigmoid (Xavier)"], 1.0)
scaled = layers_mostly_zero(grads["sigmoid (Xavier)"], 2.0 ** 16)
print(f"sigmoid network, layers whose gradient is mostly 0 in float16: {plain} of "
      f"{depth}; with the loss scaled by 2**16 first: {scaled}")
assert plain > scaled, "loss scaling keeps small float16 gradients representable"
assert layers_mostly_zero(grads["tanh (Xavier x 5/3)"], 1.0) == 0, (
    "healthy gradients survive float16")
