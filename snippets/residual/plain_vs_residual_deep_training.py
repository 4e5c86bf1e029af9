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


class Block(nn.Module):  # the same two layers, with the sum before the second ReLU
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(*plain(2)[:-1])  # Linear BN ReLU Linear BN
        nn.init.zeros_(self.f[-1].weight)  # zero BN scale: block starts as ReLU(h)

    def forward(self, h):
        return torch.relu(h + self.f(h))  # original (post-activation) ResNet block


nets = {"plain, 4 layers": plain(4), "plain, 32 layers": plain(32),
        "residual, 32 layers": [Block() for _ in range(16)]}
loss_curves, grad_curves, init_grads, sizes = {}, {}, {}, {}
for name, body in nets.items():
    model = nn.Sequential(nn.Linear(8, W), *body, nn.Linear(W, 1))
    sizes[name] = sum(p.numel() for p in model.parameters())
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_curves[name], grad_curves[name] = [], []
    for step in range(150):  # full batch
        loss = (model(X) - y).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        if step == 0:  # weight-gradient norm of every linear layer, at initialisation
            init_grads[name] = [m.weight.grad.norm().item() for m in linears]
        opt.step()
        loss_curves[name].append(loss.item())
        grad_curves[name].append(model[0].weight.grad.norm().item())  # first layer
    g = grad_curves[name]
    print(f"{name:20s} {sizes[name]:5d} params  train MSE at step 100 "
          f"{loss_curves[name][100]:.4f}, at 150 {loss_curves[name][-1]:.4f}  "
          f"first-layer grad norm {min(g):.3f} to {max(g):.3f}")

# %% What the run shows
loss, final = loss_curves, {k: v[-1] for k, v in loss_curves.items()}
p4, p32, r32 = "plain, 4 layers", "plain, 32 layers", "residual, 32 layers"
print(f"after 150 steps: plain-32 / plain-4 loss = {final[p32] / final[p4]:.0f}x, "
      f"residual-32 / plain-4 = {final[r32] / final[p4]:.2f}x")
assert sizes[p32] == sizes[r32], "identity shortcuts add no parameters"
assert all(a > b for a, b in zip(loss[p32][20:], loss[p4][20:])), (
    "degradation: the deeper plain net fits the TRAINING set worse (steps 20-150)"
)
assert final[p32] > 10 * final[p4], "after 150 steps it is more than 10x worse"
print(f"plain-32 train MSE: step 0 {loss[p32][0]:.2f}, lowest {min(loss[p32]):.2f}, "
      f"step 150 {final[p32]:.2f}")
assert final[p32] < 0.8 * loss[p32][0], "it does learn, only far more slowly"
assert final[r32] < final[p32] / 10, "same depth with shortcuts trains fine"
assert final[r32] < 2 * final[p4], "about as well as the shallow net, or better"
first, last = init_grads[p32][0], init_grads[p32][-2]  # input layer, last hidden layer
print(f"plain-32 at init: first-layer grad norm {first:.1f}, "
      f"last hidden layer {last:.2f} ({first / last:.0f}x larger)")
assert first > 10 * last, "plain-32 gradients EXPLODE towards the input at init"
others = grad_curves[p4] + grad_curves[r32]
print(f"largest first-layer grad norm of the other two nets: {max(others):.3f}")
assert min(grad_curves[p32]) > max(others), "nothing vanished: plain-32's is LARGEST"

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.5), label=(
    "Left: training loss; the 32-layer plain network stays far above the 4-layer "
    "plain network and falls only slowly, while the 32-layer residual network goes "
    "lowest. Right: gradient norm of each linear layer of the two plain networks at "
    "initialisation; in the 32-layer one it grows by about two orders of magnitude "
    "towards the input, so its gradients explode rather than vanish"
))
for name in nets:
    ax1.semilogy(loss[name], label=name)
for name in (p4, p32):
    ax2.semilogy(init_grads[name], "o-", ms=3, label=name)
ax1.set(xlabel="step (full batch)", ylabel="training MSE (log)", title="Training loss")
ax2.set(xlabel="linear layer (0 = input side)", ylabel="weight-grad norm (log)",
        title="Gradients at initialisation")
ax1.legend(fontsize=8)
ax2.legend(fontsize=8)
fig.tight_layout()
