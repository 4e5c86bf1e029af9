# %% Train the same ReLU network at two learning rates, then count dead units with hooks
import torch
import torch.nn as nn
import torch.nn.functional as F
import matplotlib.pyplot as plt

torch.manual_seed(0)
N, D, H = 1024, 10, 64
X = torch.randn(N, D)
y = (X[:, :3].sum(1, keepdim=True)).sin() + 3 + 0.1 * torch.randn(N, 1)  # mean 3

def train(lr, steps=200):
    torch.manual_seed(1)  # the same initial weights for every run
    net = nn.Sequential(nn.Linear(D, H), nn.ReLU(), nn.Linear(H, 1))
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    for _ in range(steps):  # full-batch gradient descent
        opt.zero_grad()
        F.mse_loss(net(X), y).backward()
        opt.step()
    return net

def firing_rate(net, data, batch=256):
    """Fraction of inputs on which each hidden unit is positive, via a hook."""
    counts = torch.zeros(H)
    hook = net[1].register_forward_hook(
        lambda mod, inp, out: counts.add_((out > 0).sum(0)))
    with torch.no_grad():
        for i in range(0, len(data), batch):
            net(data[i:i + batch])
    hook.remove()
    return counts / len(data)

runs = {lr: train(lr) for lr in (0.1, 0.3)}
for lr, net in runs.items():
    rate = firing_rate(net, X)
    with torch.no_grad():
        loss = F.mse_loss(net(X), y).item()
        direct = (net[0](X) > 0).float().mean(0)  # the same, without the hook
    assert torch.equal(rate, direct), "hook counts match the pre-activations"
    print(f"lr {lr}: training loss {loss:.3f}, dead units {(rate == 0).sum()} of {H}, "
          f"median firing rate of the live ones {rate[rate > 0].median():.2f}")
init_dead = (firing_rate(train(0.1, steps=0), X) == 0).sum()  # initial weights
print(f"dead at initialisation: {init_dead}")
good, bad = runs[0.1], runs[0.3]
dead = firing_rate(bad, X) == 0
assert init_dead == 0 and (firing_rate(good, X) == 0).sum() == 0, "none dead at 0.1"
assert dead.sum() >= H // 4, "3x the learning rate kills at least a quarter"
with torch.no_grad():
    top = bad[0](X)[:, dead].max()
print(f"largest pre-activation of any dead unit on any input: {top:.2e}")
fig, ax = plt.subplots(figsize=(6, 3.2), label=(
    "Firing rate of each of the 64 hidden units over the training set, sorted: at "
    "learning rate 0.1 every unit fires on part of the data, at 0.3 a large block "
    "of units fires on no input at all"))
for lr, net in runs.items():
    ax.plot(firing_rate(net, X).sort().values, "o-", ms=3, label=f"lr {lr}")
ax.set(xlabel="hidden unit (sorted)", ylabel="fraction of inputs with output > 0")
ax.legend()
fig.tight_layout()


# %% A dead unit's incoming weights get exactly zero gradient, and never move
bad.zero_grad()
F.mse_loss(bad(X), y).backward()
W_grad, b_grad = bad[0].weight.grad, bad[0].bias.grad
assert torch.equal(W_grad[dead], torch.zeros_like(W_grad[dead])), "dead: grad 0"
assert torch.equal(b_grad[dead], torch.zeros_like(b_grad[dead])), "dead: bias grad 0"
assert (W_grad[~dead].abs().sum(1) > 0).all(), "control: live units get a gradient"
leaky = nn.Sequential(bad[0], nn.LeakyReLU(0.01), bad[2])  # same weights
leaky.zero_grad()
F.mse_loss(leaky(X), y).backward()
assert (bad[0].weight.grad[dead].abs().sum(1) > 0).all(), "leaky: dead rows revive"
before = bad[0].weight.detach().clone()
opt = torch.optim.SGD(bad.parameters(), lr=0.1)
for _ in range(50):  # keep training the ReLU net at the good learning rate
    opt.zero_grad()
    F.mse_loss(bad(X), y).backward()
    opt.step()
after = bad[0].weight.detach()
assert torch.equal(after[dead], before[dead]), "dead rows unchanged by 50 steps"
assert (firing_rate(bad, X) == 0).sum() >= dead.sum(), "still dead"
print(f"after 50 more steps at lr 0.1: dead rows moved by "
      f"{(after[dead] - before[dead]).abs().max():.1f}, live rows by up to "
      f"{(after[~dead] - before[~dead]).abs().max():.3f}")
