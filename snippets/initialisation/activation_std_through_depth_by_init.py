# %% Activation scale through a 30-layer, bias-free MLP under different initialisations
import math
import torch
from torch import nn
import matplotlib.pyplot as plt

torch.manual_seed(0)
width, depth = 256, 30
x0 = torch.randn(512, width)

def run(act, init, bias=False):
    h, stds, mean_sq, saturated = x0, [], [], []
    for _ in range(depth):
        layer = nn.Linear(width, width, bias=bias)
        init(layer.weight)  # a no-op init keeps PyTorch's default
        h = act(layer(h))
        stds.append(h.std().item())
        mean_sq.append(h.double().pow(2).mean().item())  # float64: no underflow
        saturated.append((h.abs() > 0.99).float().mean().item())
    # per-layer factor on the mean square, fitted from layer 1 to layer 30
    factor = math.exp(math.log(mean_sq[-1] / mean_sq[0]) / (depth - 1))
    return stds, saturated, factor, h

def keep_default(w):
    return w

n, tanh_gain = width, nn.init.calculate_gain("tanh")
# name: (activation, init, per-layer factor on the mean square predicted by theory)
schemes = {
    "tanh, N(0, 0.01^2)": (torch.tanh, lambda w: nn.init.normal_(w, std=0.01),
                           n * 0.01 ** 2),  # tanh is linear for tiny inputs
    "tanh, N(0, 1), saturated": (torch.tanh, lambda w: nn.init.normal_(w, std=1.0),
                                 None),
    "tanh, Xavier x 5/3": (
        torch.tanh, lambda w: nn.init.xavier_normal_(w, gain=tanh_gain), None),
    "ReLU, PyTorch default": (torch.relu, keep_default, n / (3 * n) / 2),
    "ReLU, Xavier": (torch.relu, nn.init.xavier_normal_, n * 2 / (n + n) / 2),
    "ReLU, He (Kaiming)": (
        torch.relu, lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu"), 1.0),
}
with torch.no_grad():
    res = {name: run(act, init) for name, (act, init, _) in schemes.items()}
for name, (stds, sat, factor, _) in res.items():
    predicted = schemes[name][2]
    print(f"{name:25s} std: layer 1 {stds[0]:.3g}, layer {depth} {stds[-1]:.3g}; "
          f"mean square x{factor:.3g} per layer"
          + (f" (theory {predicted:.3g})" if predicted else ""))
    if predicted:
        assert abs(factor / predicted - 1) < 0.1, f"{name}: per-layer factor as derived"
assert res["tanh, N(0, 0.01^2)"][0][-1] < 1e-20, "tiny weights: the signal vanishes"
assert 0.3 < res["tanh, Xavier x 5/3"][0][-1] < 1.0, "scaled Xavier: tanh stays O(1)"
sat_final = res["tanh, N(0, 1), saturated"][1][-1]
print(f"tanh, N(0, 1): {sat_final:.0%} of the units at layer {depth} have |h| > 0.99")
assert sat_final > 0.8, "N(0, 1) weights: most tanh units saturated, tanh' ~ 0"

fig, (ax, ax_sat) = plt.subplots(1, 2, figsize=(8, 3.5), label=(
    "Left, activation standard deviation per layer on a log scale: He for ReLU and "
    "scaled Xavier for tanh stay near 1 over 30 layers, while tiny weights, Xavier "
    "with ReLU and PyTorch's default init with ReLU shrink geometrically. Right, the "
    "fraction of saturated tanh units: the N(0, 1) network, whose std looks healthy "
    "on the left, has over 80 percent of its units saturated at every layer"
))
for name, (stds, sat, _, _) in res.items():
    line, = ax.semilogy(range(1, depth + 1), stds, label=name)
    if name.startswith("tanh"):
        ax_sat.plot(range(1, depth + 1), sat, color=line.get_color(), label=name)
ax.set(xlabel="layer", ylabel="std of activations")
ax.legend(fontsize=7)
ax_sat.set(xlabel="layer", ylabel="fraction of tanh units with |h| > 0.99",
           ylim=(-0.02, 1.02))
ax_sat.legend(fontsize=7)
fig.tight_layout()

# %% With PyTorch's default biases too, the signal is lost in another way
torch.manual_seed(0)
with torch.no_grad():
    with_bias = {
        "PyTorch default": run(torch.relu, keep_default, bias=True)[3],
        "He (Kaiming)": run(torch.relu, schemes["ReLU, He (Kaiming)"][1], bias=True)[3],
    }
spread = {}
for name, h in with_bias.items():
    # how much the output differs between examples, relative to its size
    spread[name] = (h.std(dim=0).mean() / h.pow(2).mean().sqrt()).item()
    print(f"ReLU + default biases, {name:15s} weights: std at layer {depth} "
          f"{h.std():.3g}, spread across examples / size {spread[name]:.1e}")
assert spread["PyTorch default"] < 1e-4 * spread["He (Kaiming)"], (
    "default weights and biases: the output no longer depends on the input")
