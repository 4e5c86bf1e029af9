# %% A hand-set 2-2-1 ReLU network computes XOR exactly
import matplotlib.pyplot as plt
import torch
from torch import nn

torch.manual_seed(0)
X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
hand = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
with torch.no_grad():  # h1 = relu(x1 + x2), h2 = relu(x1 + x2 - 1), out = h1 - 2 h2
    hand[0].weight.copy_(torch.tensor([[1.0, 1.0], [1.0, 1.0]]))
    hand[0].bias.copy_(torch.tensor([0.0, -1.0]))
    hand[2].weight.copy_(torch.tensor([[1.0, -2.0]]))
    hand[2].bias.zero_()
print("hand-set net on (0,0), (0,1), (1,0), (1,1):", hand(X).flatten().tolist())
assert torch.equal(hand(X), y), "the hand-set 2-2-1 ReLU net gives XOR exactly"
hand[1] = nn.Identity()  # the same weights without the non-linearity
print("same weights, ReLU removed:", hand(X).flatten().tolist())
assert not torch.equal(hand(X), y), "without ReLU the same weights fail"

# %% Trained from random weights: 20 runs at once, with tanh and without it
def train(act, width, runs=20, steps=150):
    """runs independent 2-width-1 nets, nn.Linear's init, full-batch Adam on BCE"""
    lim = 2 ** -0.5, width ** -0.5  # U(-1/sqrt(fan_in), 1/sqrt(fan_in))
    shapes = [(runs, 2, width, 0), (runs, 1, width, 0), (runs, width, 1, 1),
              (runs, 1, 1, 1)]
    params = [((torch.rand(*s[:3]) * 2 - 1) * lim[s[3]]).requires_grad_()
              for s in shapes]
    W1, b1, W2, b2 = params
    opt = torch.optim.Adam(params, lr=0.1)  # per-coordinate, so runs stay independent
    for _ in range(steps):
        logits = act(X @ W1 + b1) @ W2 + b2  # (runs, 4, 1)
        loss = nn.functional.binary_cross_entropy_with_logits(
            logits, y.expand(runs, 4, 1), reduction="none").mean(dim=(1, 2))
        opt.zero_grad()
        loss.sum().backward()
        opt.step()
    solved = ((logits > 0).float() == y).all(dim=1).flatten()
    return loss.detach(), solved, params

tanh_loss, tanh_solved, tanh_params = train(torch.tanh, width=2)
lin_loss, lin_solved, _ = train(lambda z: z, width=2)
_, wide_solved, _ = train(torch.tanh, width=8)
ln2 = torch.log(torch.tensor(2.0)).item()  # BCE of predicting 0.5 everywhere
print(f"2-2-1 tanh: zero training error in {int(tanh_solved.sum())} of 20 runs, "
      f"{int((~tanh_solved).sum())} fail; lowest loss {tanh_loss.min():.4f}")
print(f"2-8-1 tanh: zero training error in {int(wide_solved.sum())} of 20 runs")
print(f"2-2-1 without activation: {int(lin_solved.sum())} of 20 runs; "
      f"lowest loss {lin_loss.min():.4f} (ln 2 = {ln2:.4f})")
assert tanh_solved.any(), "in this run a trained 2-2-1 tanh net reaches zero error"
assert not lin_solved.any() and lin_loss.min() > ln2 - 1e-3, (
    "without activation no run beats predicting 0.5 everywhere")
assert wide_solved.all() and not tanh_solved.all(), (
    "in this run every 2-8-1 net solves XOR, while some 2-2-1 nets fail")

best = int(tanh_loss.argmin())
W1, b1, W2, b2 = (q[best].detach() for q in tanh_params)
g = torch.linspace(-0.5, 1.5, 81)
gx, gy = torch.meshgrid(g, g, indexing="xy")
with torch.no_grad():
    grid = torch.stack([gx, gy], -1).reshape(-1, 2)
    p = torch.sigmoid(torch.tanh(grid @ W1 + b1) @ W2 + b2)
fig, ax = plt.subplots(figsize=(4.2, 3.6), label=(
    "Predicted probability of class 1 from the trained 2-2-1 tanh network over the "
    "square from -0.5 to 1.5: a diagonal band through (0,1) and (1,0) is class 1, the "
    "two corners (0,0) and (1,1) lie outside it, on either side of two parallel edges"))
im = ax.contourf(gx, gy, p.reshape(81, 81), levels=10, cmap="RdBu_r")
ax.contour(gx, gy, p.reshape(81, 81), levels=[0.5], colors="k")
ax.scatter(X[:, 0], X[:, 1], c=y[:, 0], cmap="RdBu_r", edgecolors="k", s=80)
ax.set(xlabel="x1", ylabel="x2", title="XOR: two hidden tanh units")
fig.colorbar(im, ax=ax, label="P(class 1)")
fig.tight_layout()
