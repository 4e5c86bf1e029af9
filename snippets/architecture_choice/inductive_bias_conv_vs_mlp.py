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

conv, mlp, lin = "conv + global max pool", "MLP 32-64-64-2", "linear baseline"
assert size[conv] * 90 < size[mlp] and acc[conv] > acc[mlp] + 0.1, (
    "right inductive bias beats ~100x more parameters"
)
val = {name: [v for _, v in c] for name, c in curves.items()}
for name in (lin, mlp):
    print(f"{name} val loss: lowest {min(val[name]):.2f}, final {val[name][-1]:.2f}")
print(f"conv val loss: first {val[conv][0]:.2f}, final {val[conv][-1]:.3f}")
assert acc[conv] > 0.95, "the conv net reaches nearly perfect validation accuracy"
assert curves[mlp][-1][0] < 0.01, "the MLP memorises: training loss goes to 0"
assert val[mlp][-1] > 2 * min(val[mlp]) and val[mlp][-1] > 1.0, (
    "MLP memorises: its validation loss rises while its training loss goes to 0"
)
assert val[lin][-1] > 1.5 * min(val[lin]), "the linear baseline overfits too"
assert val[conv][-1] < 0.1 * val[conv][0] and val[conv][-1] < 1.5 * min(val[conv]), (
    "the conv net's validation loss falls with its training loss"
)

# %% A fixed linear rule: motif A sums to 0, motif B to 2, so threshold the sum at 1
rule = ((x_va.sum(1) > 1).long() == y_va).float().mean().item()
# noise sum ~ N(0, 0.25 * L): the rule is right with probability Phi(1 / (0.5 sqrt L))
closed = 0.5 * (1 + torch.erf(torch.tensor(1 / (0.5 * L**0.5) / 2**0.5))).item()
print(f"rule 'x.sum() > 1': val accuracy {rule:.3f} (closed form {closed:.3f}); "
      f"MLP {acc[mlp]:.3f}, trained linear {acc[lin]:.3f}")
assert abs(rule - closed) < 0.05, "the rule's accuracy matches its closed form"
assert rule > acc[lin] + 0.05, "the hand-made linear rule beats the trained one"
assert acc[lin] < 0.7 and rule < 0.7, (
    "neither linear classifier reaches 70%: a linear model does not get far"
)
assert acc[mlp] < rule + 0.02, "the MLP is no better than one linear feature"

# %% Learning curves
fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Learning curves: the MLP's training loss goes to zero while its validation loss "
    "rises; the small convolutional net's training and validation losses fall "
    "together; the linear baseline's training loss stays well above zero and its "
    "validation loss rises too"
))
for name, c in curves.items():
    line, = ax.semilogy([t for t, v in c], "--", label=f"{name}, train")
    ax.semilogy([v for t, v in c], color=line.get_color(), label=f"{name}, val")
ax.set(xlabel="step (full batch)", ylabel="cross-entropy (log)")
ax.legend(fontsize=7)
fig.tight_layout()
