# %% Task: does a signal contain motif A or motif B, at an unknown position?
import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
L, motifs = 32, torch.tensor([[1.0, 2, 0, -2, -1], [-1.0, 2, 0, 2, -1]])


def make(n):
    y = torch.randint(0, 2, (n,))
    x = 0.5 * torch.randn(n, L)
    for i, start in enumerate(torch.randint(0, L - 5, (n,))):
        x[i, start:start + 5] += motifs[y[i]]
    return x, y


(x_tr, y_tr), (x_va, y_va) = make(64), make(1000)  # small training set
models = {
    "linear baseline": nn.Linear(L, 2),
    "MLP 32-64-64-2": nn.Sequential(
        nn.Linear(L, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2)
    ),
    "conv + global max pool": nn.Sequential(
        nn.Unflatten(1, (1, L)), nn.Conv1d(1, 8, 5), nn.ReLU(),
        nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(8, 2),
    ),
}
curves, acc, size = {}, {}, {}
for name, model in models.items():
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    curves[name] = []
    for step in range(300):  # full batch
        loss = F.cross_entropy(model(x_tr), y_tr)
        opt.zero_grad(); loss.backward(); opt.step()
        with torch.no_grad():
            val_loss = F.cross_entropy(model(x_va), y_va)
            curves[name].append((loss.item(), val_loss.item()))
    with torch.no_grad():
        acc[name] = (model(x_va).argmax(1) == y_va).float().mean().item()
    size[name] = sum(p.numel() for p in model.parameters())
    print(f"{name:24s} {size[name]:5d} params  train loss {curves[name][-1][0]:.3f}"
          f"  val accuracy {acc[name]:.3f}")

conv, mlp = "conv + global max pool", "MLP 32-64-64-2"
assert size[conv] * 90 < size[mlp] and acc[conv] > acc[mlp] + 0.1, (
    "right inductive bias beats ~100x more parameters"
)
mlp_train, mlp_val = curves[mlp][-1]
assert mlp_train < 0.01 and mlp_val > 10 * mlp_train, "MLP memorises: big train/val gap"
assert acc["linear baseline"] < 0.7, (
    "the baseline shows the task is not linearly solvable"
)

# %% Learning curves
fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Learning curves: the MLP's training loss goes to zero while its validation loss "
    "rises; the small convolutional net's training and validation losses fall "
    "together; the linear baseline stays high"
))
for name, c in curves.items():
    line, = ax.semilogy([t for t, v in c], "--", label=f"{name}, train")
    ax.semilogy([v for t, v in c], color=line.get_color(), label=f"{name}, val")
ax.set(xlabel="step (full batch)", ylabel="cross-entropy (log)")
ax.legend(fontsize=7)
fig.tight_layout()
