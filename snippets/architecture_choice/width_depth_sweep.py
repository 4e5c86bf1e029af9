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
        assert count == n_params(2, width, depth), (
            f"depth {depth}, width {width}: numel equals the closed-form count"
        )
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
small = [v for p, _, v in res.values() if p < 100]
large = [v for p, _, v in res.values() if p >= 100]
print(f"val MSE, nets under 100 params: {min(small):.4f} to {max(small):.4f}; "
      f"100 or more: {min(large):.4f} to {max(large):.4f}")
assert min(small) > 2 * res[best][2] > max(large), (
    "val error improves up to ~100 parameters, then stays within 2x of the best"
)
drop = [res[d, 2][1] / res[d, 128][1] for d in (1, 2, 3)]
print(f"train MSE, width 2 / width 128, depth 1..3: {[round(r) for r in drop]}")
assert min(drop) > 5, "more capacity, much lower TRAINING error"
floor = (y_train - target(x_train)).pow(2).mean().item()  # the noise actually drawn
print(f"noise floor on these 48 points (train MSE of the true function): {floor:.4f}")
assert all(res[d, 128][1] < floor for d in (1, 2, 3)), (
    "width-128 nets fit below the noise floor: they fit some of the noise"
)
wide = min(res[d, 128][2] for d in (1, 2, 3)) / res[best][2]
print(f"best width-128 net, val MSE / best val MSE: {wide:.2f}")
assert wide < 1.5, "the best width-128 net validates within 1.5x of the best model"
per_depth = [min(res[d, w][2] for w in (2, 8, 32, 128)) for d in (1, 2, 3)]
print(f"best val MSE at depth 1..3: {[round(v, 4) for v in per_depth]}, "
      f"max / min {max(per_depth) / min(per_depth):.2f}")
assert max(per_depth) < 1.5 * min(per_depth), "best nets of each depth within 1.5x"
print(f"width 128, depth 3: {res[3, 128][0] / len(x_train):.0f} parameters per "
      "training point")
fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Training error falls by an order of magnitude from the smallest to the largest "
    "nets, below the noise floor for the largest, while validation error stops "
    "improving after about a hundred parameters; width 2 underfits at every depth"
))
for depth in (1, 2, 3):
    keys = [(depth, w) for w in (2, 8, 32, 128)]
    line, = ax.loglog([res[k][0] for k in keys], [res[k][1] for k in keys], "o--",
                      label=f"train, depth {depth}")
    ax.loglog([res[k][0] for k in keys], [res[k][2] for k in keys], "s-",
              color=line.get_color(), label=f"val, depth {depth}")
ax.axhline(floor, color="gray", lw=1, label="noise floor (train)")
ax.set(xlabel="parameter count", ylabel="MSE")
ax.legend(fontsize=7, ncol=2)
fig.tight_layout()

# %% PyTorch's default nn.Linear init is not variance-preserving
for fan_in in (64, 1024):
    layer, x = nn.Linear(fan_in, 512), torch.randn(4096, fan_in)  # unit-variance input
    default = layer(x).std().item()
    nn.init.kaiming_normal_(layer.weight, nonlinearity="linear")  # std 1/sqrt(fan_in)
    nn.init.zeros_(layer.bias)
    print(f"fan-in {fan_in}: output std {default:.3f} with the default init, "
          f"{layer(x).std().item():.3f} with kaiming_normal_(nonlinearity='linear')")
    # default: U(+-1/sqrt(fan_in)) weights and bias, so var = (fan_in + 1) / (3 fan_in)
    assert abs(default - ((fan_in + 1) / (3 * fan_in)) ** 0.5) < 0.02, (
        "default init shrinks unit-variance inputs to std ~1/sqrt(3)"
    )
    assert abs(layer(x).std().item() - 1) < 0.03, "He/Kaiming (gain 1) keeps std 1"
