# %% Constant initialisation: every hidden unit gets the same gradient, forever
import torch
from torch import nn
import matplotlib.pyplot as plt

torch.manual_seed(0)
X = torch.randn(128, 2)
# a target that needs several distinct units
y = torch.sin(2 * X[:, :1]) * X[:, 1:]

def train(init, steps=150):
    net = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
    init(net)
    opt = torch.optim.SGD(net.parameters(), lr=0.3)
    # first input weight of each hidden unit
    history = []
    for _ in range(steps):
        history.append(net[0].weight[:, 0].detach().clone())
        opt.zero_grad()
        loss = nn.functional.mse_loss(net(X), y)
        loss.backward()
        opt.step()
    return net, torch.stack(history), loss.item()

def constant(net, value=0.3):
    for p in net.parameters():
        nn.init.constant_(p, value)

net_c, hist_c, loss_c = train(constant)
# PyTorch's default random init
net_r, hist_r, loss_r = train(lambda net: None)
W = net_c[0].weight
assert torch.equal(W, W[:1].expand_as(W)), (
    "constant init: all hidden units still identical"
)
assert torch.equal(hist_c, hist_c[:, :1].expand_as(hist_c)), "...at every step"

def distinct_units(net):
    return torch.unique(net[0].weight, dim=0).shape[0]  # exact comparison of rows

print(f"constant init: distinct hidden units after training = {distinct_units(net_c)}, "
      f"final loss {loss_c:.3f}")
print(f"random init:   distinct hidden units after training = {distinct_units(net_r)}, "
      f"final loss {loss_r:.3f}")
assert loss_r < loss_c, "random init ends with a lower loss than constant init"
print(f"predicting the mean target everywhere would score {y.var(unbiased=False):.3f}")
assert loss_c > 0.97 * y.var(unbiased=False), (
    "constant init: barely better than the mean"
)

fig, axes = plt.subplots(1, 2, figsize=(6, 3.5), label=(
    "With constant initialisation the four hidden units' weights move along one single "
    "curve, while with random initialisation they follow four different paths"
))
for ax, hist, title in zip(axes, (hist_c, hist_r),
                           ("constant init (0.3)", "random init")):
    for k in range(4):
        ax.plot(hist[:, k], lw=2.5 - 0.5 * k, label=f"unit {k}")
    ax.set(title=title, xlabel="SGD step")
axes[0].set_ylabel("weight from input 1")
axes[1].legend()
fig.tight_layout()

# %% All zeros is worse still: with tanh, only the output bias ever moves
net_z, _, _ = train(lambda net: constant(net, 0.0))
moved = [name for name, p in net_z.named_parameters() if p.abs().sum() > 0]
print("zero init, parameters that moved:", moved)
assert moved == ["2.bias"], "all zeros: every weight and the hidden bias stay at 0"
