# %% Gradient norm through a 50-layer ReLU MLP whose weights are He-scaled times g
import math
import torch
from torch import nn
import matplotlib.pyplot as plt

torch.manual_seed(0)
depth, width = 50, 128
x = torch.randn(64, width, requires_grad=True)
# a fixed random direction for the loss
probe = torch.randn(64, width)
curves = {}
for g in (0.8, 0.9, 1.0, 1.1, 1.2):
    h, hidden = x, []
    for _ in range(depth):
        w = torch.empty(width, width)
        nn.init.kaiming_normal_(w, nonlinearity="relu")
        h = torch.relu(h @ (g * w).T)
        h.retain_grad()
        hidden.append(h)
    (h * probe).sum().backward()
    # k layers below the loss
    curves[g] = [hidden[depth - 1 - k].grad.norm().item() for k in range(depth)]
    slope = math.log(curves[g][-1] / curves[g][0]) / (depth - 1)
    print(f"g = {g}: gradient norm grows x{math.exp(slope):.3f} per layer "
          f"(expected ~{g}), "
          f"{curves[g][-1] / curves[g][0]:.1e} over {depth - 1} layers")
    assert abs(slope - math.log(g)) < 0.03
assert curves[1.2][-1] / curves[1.2][0] > 1e3
assert curves[0.8][-1] / curves[0.8][0] < 1e-3

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Gradient norm against the number of layers it has passed through, on a log scale: "
    "it grows geometrically when the weight scale g is above 1, shrinks when g is "
    "below 1 and stays flat at g = 1"
))
for g, c in curves.items():
    ax.semilogy(range(depth), c, label=f"g = {g}")
ax.set(xlabel="layers between the loss and this activation",
       ylabel="||d loss / d activation||")
ax.legend()
fig.tight_layout()

# %% Recurrence: the same matrix 100 times, so its scale is raised to the 100th power
for g in (0.95, 1.0, 1.05):
    # every singular value equals g
    W = g * nn.init.orthogonal_(torch.empty(width, width))
    h0 = torch.randn(width, requires_grad=True)
    h = h0
    # linear RNN: h_t = W h_{t-1}
    for _ in range(100):
        h = W @ h
    v = torch.randn(width)
    (h @ v).backward()                                         # gradient = (W^T)^100 v
    print(f"g = {g}: ||d h_100 / d h_0 applied to v|| / ||v|| = "
          f"{h0.grad.norm() / v.norm():.3g}  (g^100 = {g ** 100:.3g})")
    assert math.isclose(h0.grad.norm() / v.norm(), g ** 100, rel_tol=1e-3)
