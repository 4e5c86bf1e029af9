# %% Activation scale through a 30-layer MLP under different initialisations
import torch
from torch import nn
import matplotlib.pyplot as plt

torch.manual_seed(0)
width, depth = 256, 30
x0 = torch.randn(512, width)

def stds(act, init):
    h, out = x0, []
    for _ in range(depth):
        layer = nn.Linear(width, width, bias=False)
        # None keeps PyTorch's default
        init(layer.weight)
        h = act(layer(h))
        out.append(h.std().item())
    return out, h

schemes = {
    "tanh, N(0, 0.01^2)": (torch.tanh, lambda w: nn.init.normal_(w, std=0.01)),
    "tanh, N(0, 1), saturated": (torch.tanh, lambda w: nn.init.normal_(w, std=1.0)),
    "tanh, Xavier x 5/3": (
        torch.tanh,
        lambda w: nn.init.xavier_normal_(w, gain=nn.init.calculate_gain("tanh")),
    ),
    "ReLU, PyTorch default": (torch.relu, lambda w: None),
    "ReLU, Xavier": (torch.relu, nn.init.xavier_normal_),
    "ReLU, He (Kaiming)": (
        torch.relu, lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu")
    ),
}
with torch.no_grad():
    res = {name: stds(*s) for name, s in schemes.items()}
for name, (s, _) in res.items():
    print(f"{name:25s} std after layer 1: {s[0]:.3g}, after layer {depth}: {s[-1]:.3g}")
assert res["tanh, N(0, 0.01^2)"][0][-1] < 1e-20                      # vanishes
# saturated: tanh' ~ 0
assert (res["tanh, N(0, 1), saturated"][1].abs() > 0.99).float().mean() > 0.8
assert 0.3 < res["tanh, Xavier x 5/3"][0][-1] < 1.0                 # stays O(1)
# each layer halves the variance
assert res["ReLU, Xavier"][0][-1] < 1e-3
# default Linear init is not He
assert res["ReLU, PyTorch default"][0][-1] < 1e-10
assert 0.3 < res["ReLU, He (Kaiming)"][0][-1] < 3.0                 # preserved

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Activation standard deviation per layer on a log scale: He for ReLU and scaled "
    "Xavier for tanh stay near 1 over 30 layers, while tiny weights, Xavier with ReLU "
    "and PyTorch's default init with ReLU shrink geometrically"
))
for name, (s, _) in res.items():
    ax.semilogy(range(1, depth + 1), s, label=name)
ax.set(xlabel="layer", ylabel="std of activations")
ax.legend(fontsize=7, ncol=2)
fig.tight_layout()
