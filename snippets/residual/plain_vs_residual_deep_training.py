# %% Same data, same optimiser: shallow plain, 32-layer plain and 32-layer residual nets
import matplotlib.pyplot as plt
import torch
import torch.nn as nn

torch.manual_seed(0)
X = torch.randn(256, 8)
# a smooth target
teacher = nn.Sequential(nn.Linear(8, 32), nn.Tanh(), nn.Linear(32, 1))
with torch.no_grad():
    y = teacher(X)
    y = (y - y.mean()) / y.std()
W = 16


def plain(n):  # n x (Linear -> BatchNorm -> ReLU), default (Kaiming-uniform) init
    return [m for _ in range(n)
            for m in (nn.Linear(W, W), nn.BatchNorm1d(W), nn.ReLU())]


class Block(nn.Module):  # the same 2 layers, plus an identity shortcut
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(*plain(1), nn.Linear(W, W), nn.BatchNorm1d(W))
        nn.init.zeros_(self.f[-1].weight)  # block starts as the identity

    def forward(self, h):
        return h + self.f(h)


nets = {"plain, 4 layers": plain(4), "plain, 32 layers": plain(32),
        "residual, 32 layers": [Block() for _ in range(16)]}
loss_curves, grad_curves, sizes = {}, {}, {}
for name, body in nets.items():
    model = nn.Sequential(nn.Linear(8, W), *body, nn.Linear(W, 1))
    sizes[name] = sum(p.numel() for p in model.parameters())
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_curves[name], grad_curves[name] = [], []
    for step in range(150):  # full batch
        loss = (model(X) - y).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss_curves[name].append(loss.item())
        grad_curves[name].append(model[0].weight.grad.norm().item())  # first layer
    print(f"{name:20s} {sizes[name]:5d} params  "
          f"final train MSE {loss_curves[name][-1]:.4f}   "
          f"min first-layer grad norm {min(grad_curves[name]):.3f}")

final = {k: v[-1] for k, v in loss_curves.items()}
assert sizes["plain, 32 layers"] == sizes["residual, 32 layers"], (
    "identity shortcuts add no parameters"
)
assert final["plain, 32 layers"] > 10 * final["plain, 4 layers"], (
    "degradation: deeper plain net fits the TRAINING set worse"
)
assert final["residual, 32 layers"] < final["plain, 32 layers"] / 10, (
    "same depth with shortcuts trains fine"
)
assert final["residual, 32 layers"] < 2 * final["plain, 4 layers"], (
    "at least as well as the shallow net"
)
others = grad_curves["plain, 4 layers"] + grad_curves["residual, 32 layers"]
assert min(grad_curves["plain, 32 layers"]) > max(others), (
    "its first-layer gradient is the LARGEST: nothing vanished"
)

# %% Plots
fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Training loss: the 32-layer plain network stalls far above the 4-layer plain "
    "network, while the 32-layer residual network goes lowest"
))
for name, curve in loss_curves.items():
    ax.semilogy(curve, label=name)
ax.set(xlabel="step (full batch)", ylabel="training MSE (log)", title="Training loss")
ax.legend()
fig.tight_layout()

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Gradient norm at the first layer: the 32-layer plain network's is the largest of "
    "the three, so its poor training is not caused by vanishing gradients"
))
for name, curve in grad_curves.items():
    ax.semilogy(curve, label=name)
ax.set(xlabel="step (full batch)", ylabel="first-layer grad norm (log)",
       title="Gradient reaching the first layer")
ax.legend()
fig.tight_layout()
