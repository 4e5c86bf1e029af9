# %% Step, cosine, warm-up + cosine and one-cycle, against their formulas
import math
import torch
import matplotlib.pyplot as plt
from torch.optim import lr_scheduler as S

T, base = 100, 0.1  # steps (or epochs) in the run, peak learning rate

def trace(make):
    """The learning rate each of T optimizer steps uses."""
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base, momentum=0.9)
    sched, lrs, moms = make(opt), [], []
    for t in range(T):
        group = opt.param_groups[0]
        lrs.append(group["lr"]); moms.append(group["momentum"])
        opt.step(); sched.step()
    return torch.tensor(lrs, dtype=torch.float64), moms

cos_from = lambda a, b, frac: b + (a - b) * (1 + math.cos(math.pi * frac)) / 2
warm = 10
closed = {  # the formulas of the PyTorch documentation, written out per step t
    "StepLR(30, gamma 0.1)": lambda t: base * 0.1 ** (t // 30),
    "CosineAnnealingLR(100)": lambda t: cos_from(base, 0.0, t / T),
    "LinearLR warm-up 10 + cosine": lambda t: base * (0.01 + 0.99 * t / warm)
    if t < warm else cos_from(base, 0.0, (t - warm) / (T - warm)),
    "OneCycleLR(pct_start 0.3)": lambda t: cos_from(base / 25, base, t / 29)
    if t <= 29 else cos_from(base, base / 25 / 1e4, (t - 29) / (T - 1 - 29)),
}
makers = {
    "StepLR(30, gamma 0.1)": lambda o: S.StepLR(o, step_size=30, gamma=0.1),
    "CosineAnnealingLR(100)": lambda o: S.CosineAnnealingLR(o, T_max=T),
    "LinearLR warm-up 10 + cosine": lambda o: S.SequentialLR(o, [
        S.LinearLR(o, start_factor=0.01, total_iters=warm),
        S.CosineAnnealingLR(o, T_max=T - warm)], milestones=[warm]),
    "OneCycleLR(pct_start 0.3)": lambda o: S.OneCycleLR(o, max_lr=base, total_steps=T),
}
fig, ax = plt.subplots(figsize=(6.5, 3.4), label=(
    "Learning rate against step for four schedules over 100 steps: StepLR drops "
    "tenfold at steps 30, 60 and 90, cosine falls smoothly from 0.1 to 0, warm-up plus "
    "cosine rises linearly for 10 steps then follows a cosine, and one-cycle rises "
    "to 0.1 at step 29 and falls to almost 0"))
print(f"{'schedule':29s} lr at step: 0        9       10       29       30       99")
for name, make in makers.items():
    got, moms = trace(make)
    want = torch.tensor([closed[name](t) for t in range(T)], dtype=torch.float64)
    assert torch.allclose(got, want, rtol=1e-9, atol=1e-15), f"{name}: closed form"
    print(f"{name:29s}" + "".join(f" {got[t]:8.2e}" for t in (0, 9, 10, 29, 30, 99)))
    ax.plot(got, label=name)
mom_want = [cos_from(0.95, 0.85, t / 29) if t <= 29  # the defaults max/base_momentum
            else cos_from(0.85, 0.95, (t - 29) / (T - 1 - 29)) for t in range(T)]
print(f"OneCycleLR momentum: {moms[0]:.2f} at step 0, {moms[29]:.2f} at the peak, "
      f"{moms[99]:.2f} at step 99")
assert torch.allclose(torch.tensor(moms, dtype=torch.float64),
                      torch.tensor(mom_want, dtype=torch.float64), rtol=1e-9), (
    "OneCycleLR momentum: cosine from 0.95 down to 0.85 at the peak, then back up")
ax.set(xlabel="step", ylabel="learning rate")
ax.legend(fontsize=8)
fig.tight_layout()

# %% ReduceLROnPlateau: patience, threshold, cooldown and min_lr on a fixed sequence
val = [1.0, 0.80, 0.70, 0.695, 0.69, 0.689, 0.70, 0.688, 0.60, 0.61, 0.60, 0.60,
       0.62, 0.62, 0.62, 0.62, 0.50, 0.45, 0.44, 0.44, 0.44, 0.44, 0.44, 0.44]
kw = dict(factor=0.5, patience=2, threshold=0.01, cooldown=1, min_lr=0.01)

def by_hand(losses, factor, patience, threshold, cooldown, min_lr, lr=base):
    """The rule as the docs state it (mode 'min', relative threshold)."""
    best, bad, cool, cuts = math.inf, 0, 0, []
    for epoch, v in enumerate(losses):
        bad = 0 if v < best * (1 - threshold) else bad + 1
        best = v if bad == 0 else best
        if cool > 0:
            cool, bad = cool - 1, 0  # bad epochs during cooldown do not count
        if bad > patience:
            lr, cool, bad = max(lr * factor, min_lr), cooldown, 0
            cuts.append((epoch, lr))
    return cuts

opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base)
plateau, lr_used, cuts = S.ReduceLROnPlateau(opt, **kw), [], []
for epoch, v in enumerate(val):
    lr_used.append(opt.param_groups[0]["lr"])
    plateau.step(v)  # after validation, once per epoch
    if opt.param_groups[0]["lr"] < lr_used[-1]:
        cuts.append((epoch, opt.param_groups[0]["lr"]))
print("reduced after epochs:", ", ".join(f"{e} (to {lr:.4f})" for e, lr in cuts))
assert [e for e, _ in cuts] == [7, 11, 15, 21], "cut points worked out by hand"
assert len(cuts) == len(by_hand(val, **kw)) and all(
    e == f and math.isclose(a, b) for (e, a), (f, b) in zip(cuts, by_hand(val, **kw))
), "ReduceLROnPlateau follows the documented rule"
assert cuts[-1][1] == kw["min_lr"], "the fourth cut stops at min_lr, not 0.00625"

fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(6.5, 3.8), sharex=True, label=(
    "Top: a synthetic validation loss per epoch with four flat stretches. Bottom: "
    "the learning rate ReduceLROnPlateau sets, halved after epochs 7, 11 and 15 and "
    "floored at 0.01 after epoch 21"))
ax1.plot(val, "o-", ms=3)
ax2.step(range(len(val)), lr_used, where="post")
ax1.set(ylabel="val loss")
ax2.set(xlabel="epoch", ylabel="learning rate used")
fig.tight_layout()

# %% RAdam's built-in warm-up: plain momentum steps first, then a rectified Adam step
b2, steps = 0.999, 2000  # the rectifier r_t of Liu et al. (2020)
rho_inf = 2 / (1 - b2) - 1
rho = lambda t: rho_inf - 2 * t * b2**t / (1 - b2**t)
r = lambda t: ((rho(t) - 4) * (rho(t) - 2) * rho_inf
               / ((rho_inf - 4) * (rho_inf - 2) * rho(t))) ** 0.5
q = torch.zeros(1, dtype=torch.float64, requires_grad=True)
radam, moves = torch.optim.RAdam([q], lr=1e-3, betas=(0.9, b2)), []
for t in range(1, steps + 1):  # a constant gradient of 3: m_hat = 3, v_hat = 9
    before = q.item()
    q.grad = torch.full_like(q, 3.0); radam.step()
    moves.append((before - q.item()) / 1e-3)  # this step's size in units of lr
want = [3.0 if rho(t) <= 5 else r(t) for t in range(1, steps + 1)]
assert torch.allclose(torch.tensor(moves), torch.tensor(want), rtol=1e-6), (
    "RAdam: momentum-only steps while rho_t <= 5, then lr * r_t * Adam's step")
print("RAdam step / lr at t = 5, 6, 100, 1000, 2000:",
      ", ".join(f"{moves[t - 1]:.3f}" for t in (5, 6, 100, 1000, 2000)))
