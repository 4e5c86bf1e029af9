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
    assert abs(slope - math.log(g)) < 0.03, "the gradient grows by about g per layer"
assert curves[1.2][-1] / curves[1.2][0] > 1e3, "g = 1.2 explodes over 49 layers"
assert curves[0.8][-1] / curves[0.8][0] < 1e-3, "g = 0.8 vanishes over 49 layers"

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

# %% Recurrence: the same matrix at every step; its spectral radius sets the rate
for rho in (0.95, 1.0, 1.05):
    A = torch.randn(width, width) / math.sqrt(width)  # random, not normal
    W = rho * A / torch.linalg.eigvals(A).abs().max()  # largest |eigenvalue| = rho
    sigma_max = torch.linalg.matrix_norm(W, ord=2).item()
    h0 = torch.randn(width, requires_grad=True)
    h = h0
    for t in range(200):  # linear RNN: h_t = W h_(t-1)
        h = W @ h
        if t == 99:
            h100 = h
            h100.retain_grad()
    v = torch.randn(width)
    (h @ v).backward()  # h100.grad = (W^T)^100 v, h0.grad = (W^T)^200 v
    over_100 = (h100.grad.norm() / v.norm()).item()
    # growth per step between 100 and 200 steps back, measured by autograd
    rate = (h0.grad.norm() / h100.grad.norm()).item() ** (1 / 100)
    print(f"spectral radius {rho}, largest singular value {sigma_max:.2f}: gradient "
          f"x{over_100:.3g} over 100 steps, then x{rate:.3f} per step")
    assert abs(rate - rho) < 0.02, "the per-step growth tends to the spectral radius"
    assert sigma_max > 1.5, "...not to the largest singular value"
    if rho < 1:
        assert over_100 < 0.01, "sigma_max > 1, yet the gradient vanishes"

# %% BatchNorm alone does not stop gradients growing with depth at initialisation
x_bn = torch.randn(64, width, requires_grad=True)
probe_bn, growth = torch.randn(64, width), {}
for norm in (False, True):
    h, hidden = x_bn, []
    for _ in range(depth):
        w = nn.init.kaiming_normal_(torch.empty(width, width), nonlinearity="relu")
        h = h @ w.T
        if norm:  # training-mode batch norm, no affine parameters
            h = nn.functional.batch_norm(h, None, None, training=True)
        h = torch.relu(h)
        h.retain_grad()
        hidden.append(h)
    (h * probe_bn).sum().backward()
    growth[norm] = (hidden[0].grad.norm() / hidden[-1].grad.norm()).item()
    print(f"He + ReLU, {'with' if norm else 'without'} BatchNorm: gradient norm "
          f"x{growth[norm]:.3g} over {depth - 1} layers")
assert growth[True] > 100 * growth[False], "BatchNorm: gradients grow with depth"
