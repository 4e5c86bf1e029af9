# %% Successive halving: 27 configurations, keep the best third, triple the epochs
import math
import torch
import matplotlib.pyplot as plt

torch.manual_seed(0)
n, eta, r, R = 27, 3, 1, 27  # configs, reduction factor, first and last budget
s = round(math.log(R / r, eta))  # number of halvings: 27 -> 9 -> 3 -> 1
t = torch.arange(1, R + 1, dtype=torch.float64)

def curves(pop):
    """Synthetic validation-loss curves, shape (pop, n, R), for random configs."""
    u = -5 + 4 * torch.rand(pop, n, 1, dtype=torch.float64)  # log10(lr)
    u_best = -3.5 + torch.rand(pop, 1, 1, dtype=torch.float64)
    floor = 0.05 + 0.1 * (u - u_best) ** 2 + 0.05 * torch.rand(pop, n, 1)
    speed = 10 ** (u + 3)  # small learning rates learn slowly
    return floor + (1 - floor) / (1 + speed * t), u[..., 0]

def successive_halving(L):
    """L: (pop, n, R). Returns the pick, each config's epochs and the rungs run."""
    alive = torch.arange(n).expand(L.shape[0], n)
    epochs = torch.zeros(L.shape[0], n, dtype=torch.long)
    rungs = []
    for i in range(s + 1):
        r_i = r * eta**i
        epochs.scatter_(1, alive, r_i)  # train the survivors up to r_i epochs
        rungs.append((alive.shape[1], r_i))
        if i == s:
            return alive[:, 0], epochs, rungs
        at_rung = L.gather(1, alive[..., None].expand(-1, -1, R))[:, :, r_i - 1]
        keep = at_rung.argsort(1)[:, : alive.shape[1] // eta]
        alive = alive.gather(1, keep)

L, u = curves(1)
pick, epochs, rungs = successive_halving(L)
resumed = epochs.sum().item()  # continue each survivor from its checkpoint
restart = sum(c * e for c, e in rungs)  # retrain every survivor from scratch
print(f"rungs: {rungs} (configs, epochs)")
print(f"epochs used: {resumed} resuming from checkpoints, {restart} restarting; "
      f"training all {n} fully: {n * R}")
assert resumed == n * r * (1 + s * (1 - 1 / eta)), "closed form n r (1 + s(1 - 1/eta))"
assert restart == (s + 1) * n * r, "closed form (s + 1) n r without checkpoints"
print(f"this population: the pick ends at {L[0, pick[0], -1]:.4f}, the best of "
      f"all {n} would end at {L[0, :, -1].min():.4f}")

fig, ax = plt.subplots(figsize=(6, 3.6), label=(
    "Validation loss against epochs on a log axis for 27 synthetic configurations "
    "under successive halving: all 27 run for 1 epoch, 9 continue to 3, 3 to 9 and "
    "1 to 27 epochs; the dashed curve is the configuration that would have been "
    "best after 27 epochs"))
for c in range(n):
    e = epochs[0, c].item()
    ax.semilogx(t[:e], L[0, c, :e], "o-" if e == 1 else "-", ms=3, lw=1,
                color=f"C{min(round(math.log(e, eta)), 3)}")
ax.semilogx(t, L[0, L[0, :, -1].argmin()], "--", color="gray", lw=1,
            label="best config if trained fully")
for i in range(s):
    ax.plot([], [], color=f"C{i}", label=f"stopped at {eta**i} epoch{'s' * (i > 0)}")
ax.plot([], [], color=f"C{s}", label=f"the pick, trained to {R} epochs")
ax.set(xlabel="epochs", ylabel="validation loss")
ax.legend(fontsize=8)
fig.tight_layout()

# %% Same budget, 3 random configs trained fully: which finds the better config?
pop = 2000
L, u = curves(pop)
final = L[:, :, -1]  # what each config reaches after R epochs
pick, _, _ = successive_halving(L)
regret_sh = final.gather(1, pick[:, None])[:, 0] - final.min(1).values
k = resumed // R  # random search affords this many full runs for the same epochs
regret_rs = final[:, :k].min(1).values - final.min(1).values  # configs are i.i.d.
print(f"mean regret over {pop} populations: successive halving "
      f"{regret_sh.mean():.4f}, random search with {k} full runs "
      f"{regret_rs.mean():.4f}")
print(f"successive halving picks the true best config in "
      f"{(regret_sh == 0).double().mean():.0%} of populations")
assert regret_sh.mean() < 0.5 * regret_rs.mean(), "SH beats random at equal budget"
best = final.argmin(1)
cut_first = (L[:, :, 0].argsort(1)[:, : n // eta] != best[:, None]).all(1)
u_best = u.gather(1, best[:, None])[:, 0]  # log10(lr) of the eventual best
print(f"the eventual best is cut after 1 epoch in {cut_first.double().mean():.0%} "
      f"of populations; mean log10(lr) of the best when cut "
      f"{u_best[cut_first].mean():.2f}, when kept {u_best[~cut_first].mean():.2f}")
assert u_best[cut_first].mean() < u_best[~cut_first].mean() - 0.2, (
    "slow starters (smaller lr) are the ones early stopping wrongly cuts")

# %% Hyperband: brackets that trade many short runs against few long ones
B = (s + 1) * R
print(" s  (configs, epochs) per rung                   epochs (from scratch)")
for b in range(s, -1, -1):
    n_b, r_b = math.ceil(B / R * eta**b / (b + 1)), R * eta**-b
    rungs = [(n_b // eta**i, round(r_b * eta**i)) for i in range(b + 1)]
    cost = sum(c * e for c, e in rungs)
    print(f" {b}  {str(rungs):44s} {cost}")
    assert abs(cost - B) <= R, "each bracket spends about B = (s_max + 1) R epochs"
