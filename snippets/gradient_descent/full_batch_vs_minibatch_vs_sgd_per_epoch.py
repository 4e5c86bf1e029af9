# %% Same data, same number of examples seen: full batch, mini-batch (B=32) and B=1
import torch
import matplotlib.pyplot as plt

torch.manual_seed(0)
N, d, epochs = 1024, 20, 10
scales = torch.logspace(0, -1, d)  # feature scales 1 ... 0.1: an ill-conditioned loss
X = torch.randn(N, d, dtype=torch.float64) * scales
y = X @ torch.randn(d, dtype=torch.float64) + 0.5 * torch.randn(N, dtype=torch.float64)
w_star = torch.linalg.lstsq(X, y[:, None]).solution  # the exact minimiser
loss = lambda W: 0.5 * (X @ W - y[:, None]).pow(2).mean(0)  # one loss per column
L_star = loss(w_star).item()
lrs = torch.tensor([0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 1.5, 1.8],
                   dtype=torch.float64)

def train(B, seed=1):
    """Plain SGD on the mean squared error, one column of W per learning rate."""
    g = torch.Generator().manual_seed(seed)  # every run sees the same batches
    W = torch.zeros(d, len(lrs), dtype=torch.float64)
    curve = [loss(W) - L_star]
    for _ in range(epochs):
        for idx in torch.randperm(N, generator=g).split(B):  # without replacement
            grad = X[idx].T @ (X[idx] @ W - y[idx, None]) / len(idx)
            W = W - lrs * grad
        curve.append(loss(W) - L_star)
    return torch.stack(curve).nan_to_num(float("inf"))  # (epochs + 1, len(lrs))

results = {}
for name, B in [("full batch", N), ("mini-batch B=32", 32), ("SGD B=1", 1)]:
    curve = train(B)
    best = curve[-1].argmin()  # the best learning rate for this batch size
    results[name] = (B, lrs[best].item(), curve[:, best])
    print(f"{name:16s} updates: {epochs * -(-N // B):5d}, best lr {lrs[best]:.2f}, "
          f"excess loss after 1 epoch {curve[1, best]:.2e}, after {epochs} "
          f"{curve[-1, best]:.2e}")
lam_max = torch.linalg.eigvalsh(X.T @ X / N)[-1]  # largest curvature of the loss
print(f"full-batch stability limit 2 / lambda_max = {2 / lam_max:.2f}")
full, mini, sgd = (results[k][2] for k in results)
assert (mini[1:] < full[1:]).all(), "per epoch, B=32 beats full batch at every epoch"
assert mini[-1] < 0.1 * full[-1], "per epoch, B=32 is at least 10x closer to L*"
assert mini[-1] < 3 * sgd[-1], "per epoch, B=1 gains little over B=32"

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Excess training loss against epochs on a log scale for full-batch gradient "
    "descent, mini-batch B=32 and single-example SGD, each at its best learning "
    "rate: full batch falls slowest per epoch, while B=32 and B=1 fall much "
    "faster and end close to each other"))
for name, (B, lr, curve) in results.items():
    ax.semilogy(range(epochs + 1), curve, marker="o", ms=3, label=f"{name}, lr {lr}")
ax.set(xlabel="epochs (examples seen / N)", ylabel="training loss - optimum")
ax.legend()
fig.tight_layout()

# %% The same loop in PyTorch, and what B=1 costs in wall-clock time
import time
from torch import nn

def torch_epoch(B, lr, seed=1):
    model = nn.Linear(d, 1, bias=False, dtype=torch.float64)
    nn.init.zeros_(model.weight)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    start = time.perf_counter()
    for idx in torch.randperm(N, generator=g).split(B):
        batch_loss = 0.5 * (model(X[idx]).squeeze(1) - y[idx]).pow(2).mean()
        opt.zero_grad(); batch_loss.backward(); opt.step()
    return model.weight.detach().T, time.perf_counter() - start

W_torch, _ = torch_epoch(32, 0.1)
g = torch.Generator().manual_seed(1)
W_hand = torch.zeros(d, 1, dtype=torch.float64)
for idx in torch.randperm(N, generator=g).split(32):
    W_hand -= 0.1 * X[idx].T @ (X[idx] @ W_hand - y[idx, None]) / len(idx)
assert torch.allclose(W_torch, W_hand), "hand-written update = torch.optim.SGD's"

seconds = {B: min(torch_epoch(B, 0.01)[1] for _ in range(2)) for B in (1, 32, N)}
for B, s in seconds.items():
    print(f"one epoch with nn.Linear + optim.SGD, B={B:3d}: {1e3 * s:6.2f} ms")
print(f"B=1 takes {seconds[1] / seconds[32]:.0f}x as long per epoch as B=32")
assert seconds[1] > 4 * seconds[32], "B=1: many more sequential steps per epoch"
