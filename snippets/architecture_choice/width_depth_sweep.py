# %% Sweep hidden width and depth on a small, noisy synthetic regression problem
import matplotlib.pyplot as plt
import torch
import torch.nn as nn

torch.manual_seed(0)
def target(x):
    return torch.sin(3 * x[:, :1]) * torch.cos(2 * x[:, 1:])
noise = 0.1  # label noise std: no model can beat noise**2 = 0.01 on fresh data
x_train, x_val = torch.rand(48, 2) * 2 - 1, torch.rand(1024, 2) * 2 - 1
y_train = target(x_train) + noise * torch.randn(48, 1)
y_val = target(x_val) + noise * torch.randn(1024, 1)


def mlp(d_in, width, depth, d_out=1):
    sizes = [d_in] + [width] * depth
    layers = [m for a, b in zip(sizes, sizes[1:]) for m in (nn.Linear(a, b), nn.Tanh())]
    return nn.Sequential(*layers, nn.Linear(width, d_out))


# (fan_in + 1 bias) * fan_out, layer by layer
def n_params(d_in, width, depth, d_out=1):
    return (d_in + 1) * width + (depth - 1) * (width + 1) * width + (width + 1) * d_out


res = {}  # (depth, width) -> (params, train MSE, val MSE)
for depth in (1, 2, 3):
    for width in (2, 8, 32, 128):
        model = mlp(2, width, depth)
        count = sum(p.numel() for p in model.parameters())
        assert count == n_params(2, width, depth), (depth, width)
        opt = torch.optim.Adam(model.parameters(), lr=1e-2)
        for step in range(300):  # full batch
            loss = (model(x_train) - y_train).pow(2).mean()
            opt.zero_grad(); loss.backward(); opt.step()
        with torch.no_grad():
            val_mse = (model(x_val) - y_val).pow(2).mean().item()
            res[depth, width] = (count, loss.item(), val_mse)
        print(f"depth {depth} width {width:3d}: {count:5d} params  "
              f"train {res[depth, width][1]:.4f}  val {res[depth, width][2]:.4f}")

# %% What the sweep says
best = min(res, key=lambda k: res[k][2])
print(f"best on validation: depth {best[0]}, width {best[1]} (val {res[best][2]:.4f})")
# "2/3 of the inputs plus the outputs" -> 2 neurons
rule_of_thumb = round(2 / 3 * 2 + 1)
assert min(res[d, rule_of_thumb][2] for d in (1, 2, 3)) > 2 * res[best][2], (
    "the rule of thumb underfits"
)
assert all(res[d, 128][1] < res[d, 2][1] for d in (1, 2, 3)), (
    "more capacity, lower TRAINING error"
)
assert all(res[d, 128][1] < noise**2 < res[d, 128][2] for d in (1, 2, 3)), (
    "largest nets fit the noise"
)
assert min(res[d, 128][2] for d in (1, 2, 3)) < 1.5 * res[best][2], (
    "yet 700x more parameters than points did not ruin validation"
)
best_per_depth = [min(res[d, w][2] for w in (2, 8, 32, 128)) for d in (1, 2, 3)]
assert max(best_per_depth) < 1.5 * min(best_per_depth), (
    "depth 1, 2 or 3: similar best scores"
)

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Training error keeps falling as parameters grow, below the noise floor for the "
    "largest nets, while validation error stops improving after a few hundred "
    "parameters; width 2 underfits at every depth"
))
for depth in (1, 2, 3):
    keys = [(depth, w) for w in (2, 8, 32, 128)]
    line, = ax.loglog([res[k][0] for k in keys], [res[k][1] for k in keys], "o--",
                      label=f"train, depth {depth}")
    ax.loglog([res[k][0] for k in keys], [res[k][2] for k in keys], "s-",
              color=line.get_color(), label=f"val, depth {depth}")
ax.axhline(noise**2, color="gray", lw=1, label="noise floor")
ax.set(xlabel="parameter count", ylabel="MSE")
ax.legend(fontsize=7, ncol=2)
fig.tight_layout()
