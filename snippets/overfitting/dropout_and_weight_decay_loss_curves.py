# %% Train the same small MLP on 30 noisy points three ways, then on ten times more data
import torch
from torch import nn
import torch.nn.functional as F
import matplotlib.pyplot as plt

torch.manual_seed(0)
noise_var = 0.25  # irreducible error: the best possible validation MSE


def make_data(n):
    x = torch.rand(n, 1) * 4 - 2
    return x, torch.sin(2 * x) + noise_var**0.5 * torch.randn(n, 1)


x_more, y_more = make_data(300)
x_val, y_val = make_data(200)
curves = {}
runs = [("no regularisation", 0.0, 0.0, 30), ("dropout p=0.5", 0.5, 0.0, 30),
        ("weight decay 1.0", 0.0, 1.0, 30), ("300 points, no reg.", 0.0, 0.0, 300)]
for name, p, wd, n in runs:
    x_train, y_train = x_more[:n], y_more[:n]
    torch.manual_seed(1)  # same initial weights for every run
    model = nn.Sequential(nn.Linear(1, 64), nn.ReLU(), nn.Dropout(p),
                          nn.Linear(64, 64), nn.ReLU(), nn.Dropout(p),
                          nn.Linear(64, 1))
    # full batch, 300 steps
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=wd)
    train, val = [], []
    for step in range(300):
        model.train()
        loss = F.mse_loss(model(x_train), y_train)
        opt.zero_grad()
        loss.backward()
        opt.step()
        model.eval()  # measure both losses without dropout noise
        with torch.inference_mode():
            train.append(F.mse_loss(model(x_train), y_train).item())
            val.append(F.mse_loss(model(x_val), y_val).item())
    curves[name] = torch.tensor(train), torch.tensor(val)
    best = int(torch.tensor(val).argmin())
    print(f"{name:19s} final train {train[-1]:.3f} | final val {val[-1]:.3f} | "
          f"best val {val[best]:.3f} at step {best}")

none_train, none_val = curves["no regularisation"]
assert none_train[-1] < noise_var, "unregularised net fits the noise"
assert int(none_val.argmin()) < 50 and none_val[-1] > 1.3 * none_val.min(), (
    "validation loss rises after an early minimum"
)
for name in ("dropout p=0.5", "weight decay 1.0", "300 points, no reg."):
    assert curves[name][1][-1] < 0.8 * none_val[-1], (
        f"{name} generalises better at the end"
    )
for name in ("dropout p=0.5", "weight decay 1.0"):  # same 30 training points
    assert curves[name][0][-1] > none_train[-1], (
        f"{name} fits the training set less closely"
    )
    assert none_val.min() < curves[name][1][-1], (
        f"in this run, early stopping alone beats the final {name} model"
    )
best = {name: v.min().item() for name, (_, v) in curves.items()}
assert best["weight decay 1.0"] < best["no regularisation"], (
    "in this run, best checkpoint against best checkpoint, weight decay is ahead"
)
assert abs(best["dropout p=0.5"] - best["no regularisation"]) < 0.002, (
    "in this run, best against best, dropout and no regularisation are within 0.002"
)
best_on_30 = min(v[-1] for k, (_, v) in curves.items() if k != "300 points, no reg.")
assert curves["300 points, no reg."][1][-1] < best_on_30, "more data wins"

# %% Validation loss (left) and training loss (right) of the four runs
fig, (ax_val, ax_train) = plt.subplots(1, 2, figsize=(8, 3.5), sharey=True, label=(
    "Left, validation loss: on 30 points without regularisation it rises after a "
    "minimum within the first 50 steps, dropout and weight decay end much lower, and "
    "ten times more data ends closest to the noise floor. Right, training loss: "
    "without regularisation it falls far below the noise floor"
))
for name, (train, val) in curves.items():
    ax_val.plot(val, label=name)
    ax_train.plot(train, label=name)
for ax, title in [(ax_val, "validation"), (ax_train, "training")]:
    ax.axhline(noise_var, color="grey", linewidth=0.8, label="noise variance")
    ax.set(xlabel="full-batch step", title=f"{title} MSE", ylim=(0, 0.8))
ax_val.set_ylabel("MSE")
ax_train.legend(fontsize=8)
fig.tight_layout()
