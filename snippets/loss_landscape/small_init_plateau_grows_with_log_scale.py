# %% The same tanh network trained from smaller and smaller random weights
import math
import torch
import matplotlib.pyplot as plt

torch.manual_seed(0)
n, d, H, lr, steps = 256, 3, 4, 0.1, 400
X = torch.randn(n, d, dtype=torch.float64)
y = X @ torch.tensor([1.0, -0.5, 0.25], dtype=torch.float64)  # a linear target
y = y + 0.1 * torch.randn(n, dtype=torch.float64)
sizes = [H * d, H, 1]  # W (H x d), v (H), output bias b

def loss(theta):
    W, v, b = theta.split(sizes)
    return 0.5 * (torch.tanh(X @ W.view(H, d).T) @ v + b - y).pow(2).mean()

direction = torch.randn(sum(sizes), dtype=torch.float64)
direction[-1] = 0.0  # output bias starts at 0, as usual

def train(scale):
    theta = (scale * direction).requires_grad_()
    opt = torch.optim.SGD([theta], lr=lr)
    curve = []
    for _ in range(steps):
        opt.zero_grad(); value = loss(theta); value.backward(); opt.step()
        curve.append(value.item())
    return theta.detach(), torch.tensor(curve)

saddle_loss = 0.5 * y.var(correction=0).item()  # loss with W = 0, v = 0, b = mean(y)
k = (y.mean() - y)[:, None].mul(X).mean(0).norm().item()  # |negative eigenvalue|
runs = {s: train(s) for s in (0.5, 1e-3, 1e-5, 1e-7)}
print(f"saddle loss var(y)/2 = {saddle_loss:.3f}; near it, the unstable direction "
      f"grows by 1 + lr |lambda_min| = {1 + lr * k:.4f} per step")
escape = {}
for s, (theta, curve) in runs.items():
    escape[s] = int((curve < 0.5 * saddle_loss).nonzero()[0])
    print(f"init scale {s:7.0e}: loss below half the saddle loss at step "
          f"{escape[s]:3d}, final loss {curve[-1]:.4f}")
per_100x = math.log(100) / math.log(1 + lr * k)
gaps = [escape[1e-5] - escape[1e-3], escape[1e-7] - escape[1e-5]]
print(f"extra steps per 100x smaller init: {gaps}, closed form {per_100x:.1f}")
assert all(abs(g / per_100x - 1) < 0.05 for g in gaps), (
    "plateau grows by log(100) / log(1 + lr |lambda_min|) steps per 100x smaller init")
assert escape[0.5] < 0.5 * escape[1e-3], "a normal-sized init has no long plateau"
final = torch.tensor([c[-1] for _, c in runs.values()])
assert (final < 0.05 * saddle_loss).all(), "every run escapes: under 5% of saddle loss"

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Training loss against step for a small tanh network started from random "
    "weights of scale 0.5, 1e-3, 1e-5 and 1e-7: the smaller the start, the longer "
    "the loss stays on a plateau at the saddle value var(y)/2 before it drops, "
    "about the same number of extra steps for every factor of 100"))
for s, (_, curve) in runs.items():
    ax.semilogy(curve, label=f"init scale {s:g}")
ax.axhline(saddle_loss, ls=":", color="gray", label="saddle loss var(y)/2")
ax.set(xlabel="step", ylabel="training loss")
ax.legend()
fig.tight_layout()

# %% Two equally good minima, and the straight line between them
theta1 = runs[1e-3][0]
W, v, b = theta1.split(sizes)
flipped = torch.cat([-W, -v, b])  # tanh is odd: the same function, other weights
assert torch.allclose(loss(flipped), loss(theta1)), "sign-flipped copy: same loss"
alphas = torch.linspace(0, 1, 41, dtype=torch.float64)
start, trained = 0.5 * direction, runs[0.5][0]  # the run from a normal-sized init
from_init = torch.stack([loss((1 - a) * start + a * trained) for a in alphas])
between = torch.stack([loss((1 - a) * theta1 + a * flipped) for a in alphas])
mid = 0.5 * (b - y).pow(2).mean()  # midpoint: W = 0 and v = 0, only b is left
print(f"loss at the trained weights {loss(theta1):.4f}, at their sign flip "
      f"{loss(flipped):.4f}, halfway between {between[20]:.4f} "
      f"(closed form with W = v = 0: {mid:.4f})")
assert torch.allclose(between[20], mid), "midpoint: every weight 0, only b is left"
rises = (from_init.diff() > 0).sum().item()
print(f"init (scale 0.5) -> trained: loss {from_init[0]:.3f} -> {from_init[-1]:.4f}, "
      f"{rises} rises along the line in this run")
assert rises == 0 and between.max() > 0.5, (
    "in this run: no barrier from init to minimum, a barrier between the two minima")

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Loss along two straight lines in weight space: from initial weights of scale "
    "0.5 to the weights that run trained it falls to near zero without rising, "
    "while from trained weights to their sign-flipped copy it climbs to about the "
    "saddle value halfway and falls back"))
ax.plot(alphas, from_init, label="initial weights (scale 0.5) -> trained")
ax.plot(alphas, between, "--", label="trained -> sign-flipped copy")
ax.set(xlabel="alpha (position along the line)", ylabel="training loss")
ax.legend()
fig.tight_layout()

# %% Mini-batch noise does not break the all-zero symmetry; random weights do
starts = torch.stack([torch.zeros(sum(sizes), dtype=torch.float64), 1e-7 * direction])
theta = starts.clone().requires_grad_()  # two runs at once, on the same batches
opt, g = torch.optim.SGD([theta], lr=lr), torch.Generator().manual_seed(1)
for _ in range(250):
    idx = torch.randint(n, (16,), generator=g)  # a random batch of 16
    W, v, b = theta.split(sizes, dim=1)
    out = (torch.tanh(X[idx] @ W.view(2, H, d).mT) @ v[:, :, None]).squeeze(2) + b
    opt.zero_grad(); (0.5 * (out - y[idx]).pow(2).mean(1)).sum().backward(); opt.step()
zero, tiny = theta.detach()
print(f"mini-batch SGD, 250 steps from W = v = 0: max |W|, |v| = "
      f"{zero[:-1].abs().max():.1e}, loss {loss(zero):.4f}; from scale 1e-7: "
      f"loss {loss(tiny):.4f}")
assert torch.equal(zero[:-1], torch.zeros(H * d + H, dtype=torch.float64)), (
    "at W = v = 0 every example's gradient in W and v is 0: SGD never moves them")
assert loss(tiny) < 0.05 * saddle_loss, "a random perturbation of the weights escapes"
