# %% 16 trials over (log10 learning rate, a second knob that does not matter)
import torch
import matplotlib.pyplot as plt

torch.manual_seed(0)
N, side, lo, hi = 16, 4, -5.0, -1.0  # learning rate from 1e-5 to 1e-1
unit = (torch.arange(side, dtype=torch.float64) + 0.5) / side  # cell centres in [0, 1]
grid = torch.cartesian_prod(lo + (hi - lo) * unit, unit)  # 4 x 4 = 16 trials
rand = torch.rand(N, 2, dtype=torch.float64) * torch.tensor([hi - lo, 1.0])
rand[:, 0] += lo  # column 0: log10(lr), log-uniform; column 1: the other knob
for name, trials in [("grid", grid), ("random", rand)]:  # counts: by construction
    print(f"{name:6s}: {len(trials)} trials, {trials[:, 0].unique().numel():2d} "
          f"distinct learning rates, {trials[:, 1].unique().numel():2d} distinct "
          f"values of the other knob")

# %% How close does the best trial get to the best learning rate?
reps = 4000  # many objectives, each with its best log10(lr) drawn at random
best = lo + (hi - lo) * torch.rand(reps, 1, dtype=torch.float64)
gap_grid = (grid[:, 0] - best).abs().min(1).values  # only lr matters
draws = lo + (hi - lo) * torch.rand(reps, N, dtype=torch.float64)
gap_rand = (draws - best).abs().min(1).values
r = torch.linspace(0, 1, 2001, dtype=torch.float64)[:, None]  # quadrature, unit range
x = torch.linspace(0, 1, 2001, dtype=torch.float64)[None, :]
covered = (x + r).clamp(max=1) - (x - r).clamp(min=0)
quad = (1 - covered).clamp(min=0).pow(N).mean(1).mean() * (hi - lo)  # E[min distance]
print(f"mean distance from the best lr, in decades: grid {gap_grid.mean():.3f} "
      f"(closed form cell/4 = {(hi - lo) / side / 4:.3f}), random "
      f"{gap_rand.mean():.3f} (quadrature {quad:.3f})")
assert abs(gap_grid.mean() / ((hi - lo) / side / 4) - 1) < 0.03, "grid: cell / 4"
assert abs(gap_rand.mean() / quad - 1) < 0.05, "random: matches the quadrature"
assert gap_rand.mean() < 0.6 * gap_grid.mean(), "random gets closer than the grid"

fig, axes = plt.subplots(1, 2, figsize=(8, 3.6), sharey=True, label=(
    "Sixteen trials in the plane of log10 learning rate against an unimportant "
    "second hyperparameter: the 4 by 4 grid projects onto only 4 distinct learning "
    "rates, shown as ticks under the axis, while 16 random trials project onto 16 "
    "different learning rates"))
for ax, (name, trials) in zip(axes, [("grid", grid), ("random", rand)]):
    ax.plot(trials[:, 0], trials[:, 1], "o", label="trial")
    ax.plot(trials[:, 0], torch.full((N,), -0.08), "|", ms=12,
            label="learning rates tested")
    ax.set(title=f"{name}: {trials[:, 0].unique().numel()} learning rates",
           xlabel="log10(learning rate)", xlim=(lo, hi), ylim=(-0.15, 1.05))
axes[0].set(ylabel="other hyperparameter")
axes[1].legend(loc="upper right", fontsize=8)
fig.tight_layout()

# %% Sample the learning rate log-uniformly, not uniformly
M, edges = 100_000, [1e-5, 1e-4, 1e-3, 1e-2, 1e-1]
uniform = 1e-5 + (1e-1 - 1e-5) * torch.rand(M, dtype=torch.float64)
log_uniform = 10 ** (-5 + 4 * torch.rand(M, dtype=torch.float64))
print("decade              uniform (closed form)   log-uniform (closed form)")
for a, b in zip(edges[:-1], edges[1:]):
    shares = [((s >= a) & (s < b)).double().mean().item()
              for s in (uniform, log_uniform)]
    exact = [(b - a) / (1e-1 - 1e-5), 0.25]
    print(f"[{a:.0e}, {b:.0e})   {shares[0]:.4f} ({exact[0]:.4f})         "
          f"{shares[1]:.4f} ({exact[1]:.4f})")
    for got, p in zip(shares, exact):
        assert abs(got - p) < 4 * (p * (1 - p) / M) ** 0.5 + 1e-12, (
            "share per decade matches the closed form")
