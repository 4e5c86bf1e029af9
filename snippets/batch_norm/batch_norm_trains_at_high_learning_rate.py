# %% An 8-layer MLP on two spirals, with and without BN, at a high learning rate
import math

import matplotlib.pyplot as plt
import torch
from torch import nn

torch.manual_seed(0)
n = 512
t = torch.rand(n) * 2 * math.pi  # one turn per spiral
y = torch.randint(0, 2, (n,))
r, angle = t / (2 * math.pi) + 0.1, t + y * math.pi  # two interleaved spirals
X = torch.stack([r * torch.cos(angle), r * torch.sin(angle)], 1)
X = X + 0.02 * torch.randn(n, 2)
steps, batch = 200, 64  # one list of batches for every run, from its own stream
batches = torch.randint(0, n, (steps, batch),
                        generator=torch.Generator().manual_seed(2))

class ShiftAndScale(nn.Module):
    """A simplified 'noisy BN' after Santurkar et al.: at every step, a new random
    scale and shift per unit, shared by the whole batch."""
    def __init__(self, gen):
        super().__init__()
        self.gen = gen  # its own random stream, so that weights and batches match
    def forward(self, h):
        scale = torch.empty(h.shape[1]).uniform_(0.7, 1.4, generator=self.gen)
        shift = torch.empty(h.shape[1]).uniform_(-0.5, 0.5, generator=self.gen)
        return h * scale + shift

def mlp(norm, depth=8, width=32):
    init, noise = torch.Generator().manual_seed(1), torch.Generator().manual_seed(3)
    layers, d = [], 2
    for i in range(depth + 1):
        hidden = i < depth
        linear = nn.Linear(d, width if hidden else 2, bias=norm == "none" or not hidden)
        # He init from its own stream, zero biases: all runs start from the same weights
        nn.init.kaiming_normal_(linear.weight, nonlinearity="relu", generator=init)
        if linear.bias is not None:
            nn.init.zeros_(linear.bias)
        layers.append(linear)
        if hidden and norm != "none":
            layers.append(nn.BatchNorm1d(width))
        if hidden and norm == "noisy BN":
            layers.append(ShiftAndScale(noise))
        if hidden:
            layers.append(nn.ReLU())
        d = width
    return nn.Sequential(*layers)

def train(norm, lr):
    model = mlp(norm)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for idx in batches:  # the same batches, in the same order, for every run
        loss = nn.functional.cross_entropy(model(X[idx]), y[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        losses.append(loss.item())
    with torch.no_grad():  # ReLU units of the last hidden layer that never fire
        dead = (model[:-1](X).amax(dim=0) == 0).sum().item()
    return losses, dead

runs = {("none", 0.1): None, ("none", 1.0): None, ("BN", 1.0): None,
        ("noisy BN", 1.0): None}
final = {}
for norm, lr in runs:
    runs[norm, lr] = train(norm, lr)
    losses, dead = runs[norm, lr]
    final[norm, lr] = sum(losses[-40:]) / 40  # mean of the last 40 batches
    print(f"{norm:9s} lr={lr:<4}: loss {losses[0]:.2f} -> {final[norm, lr]:.3f}, "
          f"highest {max(losses):6.2f}, dead units in last layer {dead}/32")
chance = math.log(2)
print(f"chance level, predicting 50/50: ln 2 = {chance:.3f}")
assert final["none", 0.1] < 0.2 * chance, "plain net, lr 0.1: it trains"
stuck = final["none", 1.0]  # NaN, if the loss overflows, also counts as no progress
assert math.isnan(stuck) or stuck > 0.6 * chance, "plain net, lr 1.0: little progress"
assert final["BN", 1.0] < 0.4 * chance, "with BN, lr 1.0 trains"
assert final["noisy BN", 1.0] < 0.4 * chance, "noisy BN, lr 1.0: trains too"
fig, ax = plt.subplots(figsize=(7, 3.8), label=(
    "Training loss per step for an 8-layer MLP: without batch norm, learning rate "
    "1.0 stays near chance level throughout; with batch norm, and with batch norm "
    "followed by random shifts and scales, the same learning rate brings the loss "
    "far below chance, as learning rate 0.1 does for the plain network"
))
smooth = torch.ones(10) / 10  # moving average over 10 steps, for readability
for (norm, lr), (losses, _) in runs.items():
    curve = torch.conv1d(torch.tensor(losses).view(1, 1, -1), smooth.view(1, 1, -1))
    style = ":" if lr < 1 else "-"
    ax.plot(curve.flatten(), style, label=f"{norm}, lr {lr}")
ax.axhline(chance, color="grey", lw=0.8)
ax.text(0, chance * 1.05, "chance: ln 2", fontsize=8)
ax.set(xlabel="step", ylabel="training loss (10-step average)", yscale="log")
ax.legend(fontsize=8)
fig.tight_layout()
