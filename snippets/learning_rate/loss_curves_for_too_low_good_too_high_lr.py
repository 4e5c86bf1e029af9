# %% One small network trained with eight learning rates from the same start
import torch
import matplotlib.pyplot as plt

torch.manual_seed(0)
N, h, B, steps = 512, 32, 32, 500
X = torch.rand(N, 2) * 4 - 2
y = torch.sin(2 * X[:, :1]) * torch.cos(1.5 * X[:, 1:]) + 0.1 * torch.randn(N, 1)
lrs = torch.tensor([0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0])
k = len(lrs)

def init(fan_in, shape):  # nn.Linear's scale; one identical copy per learning rate
    return ((torch.rand(shape) * 2 - 1) / fan_in**0.5).repeat(k, 1, 1)

params = [init(2, (2, h)), init(2, (1, h)), init(h, (h, 1)), init(h, (1, 1))]
params = [p.requires_grad_() for p in params]
net = lambda x: torch.tanh(x @ params[0] + params[1]) @ params[2] + params[3]
full_loss = lambda: (net(X.expand(k, -1, -1)) - y).pow(2).mean((1, 2))

g = torch.Generator().manual_seed(1)  # every run sees the same mini-batches
with torch.no_grad():
    curve = [full_loss()]
for step in range(steps):  # mini-batch SGD, written out: p <- p - lr * grad
    idx = torch.randint(N, (B,), generator=g)
    batch_loss = (net(X[idx].expand(k, -1, -1)) - y[idx]).pow(2).mean((1, 2))
    grads = torch.autograd.grad(batch_loss.sum(), params)  # run i only sees loss i
    with torch.no_grad():
        for p, grad in zip(params, grads):
            p -= lrs[:, None, None] * grad
        curve.append(full_loss())
curve = torch.stack(curve)  # (steps + 1, k): training loss on all N examples
tail = curve[-100:]  # the last 100 steps
mean, rel_std = tail.mean(0), tail.std(0) / tail.mean(0)
print("   lr   loss: start   max   last-100 mean   last-100 std / mean")
for i, lr in enumerate(lrs):
    print(f"{lr:5.2f}   {curve[0, i]:10.3f} {curve[:, i].max():7.3g} "
          f"{mean[i]:11.4f} {rel_std[i]:14.3f}")
ok = torch.isfinite(curve).all(0)
print(f"largest stable lr: {lrs[ok].max():.2f}; lowest last-100 loss at lr "
      f"{lrs[ok][mean[ok].argmin()]:.2f}")
assert (ok == (lrs <= lrs[ok].max())).all(), "one threshold: all larger lrs blow up"
low, good, high, bad = (int((lrs - v).abs().argmin()) for v in (0.01, 0.1, 0.3, 0.5))
assert mean[low] > 2 * mean[good], "too low: still far above the good run at the end"
assert rel_std[high] > 2 * rel_std[good], "too high: the loss bounces far more"
assert curve[:, high].max() > 3 * curve[0, high], "too high: spikes above the start"
assert not ok[bad], "past the threshold the loss overflows to inf / nan"

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.6), label=(
    "Left: training loss against step for four learning rates on a log scale: 0.01 "
    "falls slowly, 0.1 falls fast and levels off, 0.3 spikes and bounces, 0.5 rises "
    "until it overflows. Right: mean loss over the last 100 steps against learning "
    "rate, lowest at 0.1 and a little higher at 0.2 and 0.3, the largest stable "
    "value; larger learning rates have no point because they blew up"))
for i, name in [(low, "too low"), (good, "good"), (high, "too high"),
                (bad, "diverges")]:
    ax1.semilogy(curve[:, i].nan_to_num(float("inf")), label=f"lr {lrs[i]:.2f}: {name}")
ax1.set(xlabel="step", ylabel="training loss (MSE)", ylim=(0.02, 100))
ax1.legend(fontsize=8)
ax2.loglog(lrs[ok], mean[ok], "o-", label="stable")
ax2.axvline(lrs[ok].max(), ls=":", color="gray", label="largest stable lr")
ax2.set(xlabel="learning rate", ylabel="mean loss, last 100 steps")
ax2.legend(fontsize=8)
fig.tight_layout()
