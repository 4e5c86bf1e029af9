# %% Eight networks from different seeds, eight on bootstrap resamples, then averaged
import itertools
import torch
import matplotlib.pyplot as plt

torch.manual_seed(0)
n, K, h = 30, 8, 32  # training points, members per ensemble, hidden units
f_true = lambda x: torch.sin(2 * x) + 0.3 * x
x = torch.rand(n, 1, dtype=torch.float64) * 6 - 3
y = f_true(x) + 0.3 * torch.randn(n, 1, dtype=torch.float64)
grid = torch.linspace(-3, 3, 300, dtype=torch.float64)[:, None]

counts = torch.ones(2 * K, n, 1, dtype=torch.float64)  # first 8: all data once
for k in range(K, 2 * K):  # last 8: bagging, n draws with replacement
    counts[k] = torch.bincount(torch.randint(n, (n,)), minlength=n)[:, None]
distinct = (counts[K:, :, 0] > 0).double().mean()
print(f"each bagged member holds {distinct:.3f} of the distinct points on average "
      f"(expected 1 - (1 - 1/n)^n = {1 - (1 - 1 / n) ** n:.3f})")
shape = lambda *s: torch.randn(2 * K, *s, dtype=torch.float64)  # own seed each
params = [(shape(1, h) * 2).requires_grad_(), shape(1, h).requires_grad_(),
          (shape(h, 1) / h**0.5).requires_grad_(), shape(1, 1).requires_grad_()]
net = lambda t: torch.tanh(t @ params[0] + params[1]) @ params[2] + params[3]
opt = torch.optim.Adam(params, lr=5e-2)
for step in range(200):  # full batch; each member sees its own weighted loss
    loss = (counts * (net(x.expand(2 * K, -1, -1)) - y) ** 2).mean((1, 2)).sum()
    opt.zero_grad(); loss.backward(); opt.step()

with torch.no_grad():
    preds = net(grid.expand(2 * K, -1, -1))[..., 0]  # (members, grid points)
target = f_true(grid)[:, 0]  # score against the noise-free function
ensembles = {"seeds": preds[:K], "bagging": preds[K:]}
print("ensemble  mean member  best member  spread A  averaged   E_bar (1/K + "
      "(1-1/K) rho)  rho")
stats = {}
for name, f in ensembles.items():
    f_bar = f.mean(0)
    E_ens = ((f_bar - target) ** 2).mean()
    member = ((f - target) ** 2).mean(1)  # each member's squared error
    E_bar, A = member.mean(), ((f - f_bar) ** 2).mean()
    err = f - target
    C = err @ err.T / err.shape[1]  # C_kl = mean over x of e_k e_l
    rho = (C.sum() - C.trace()) / (K - 1) / C.trace()  # mean off-diagonal / diagonal
    formula = E_bar * (1 / K + (1 - 1 / K) * rho)
    print(f"{name:8s} {E_bar:12.4f} {member.min():12.4f} {A:9.4f} {E_ens:9.4f} "
          f"{formula:17.4f} {rho:13.3f}")
    assert torch.allclose(E_ens, E_bar - A, rtol=1e-12), "Krogh-Vedelsby: E = E_bar - A"
    spread = ((f - f_bar) ** 2).mean(0)  # at each input
    pointwise = (f_bar - target) ** 2 - ((err**2).mean(0) - spread)
    assert pointwise.abs().max() < 1e-12, "the decomposition holds at every input"
    assert torch.allclose(E_ens, formula, rtol=1e-12), "E = E_bar (1/K + (1-1/K) rho)"
    stats[name] = (E_bar, rho, f_bar, E_ens, member.min())
seeds, bags = stats["seeds"], stats["bagging"]
assert bags[1] < seeds[1] - 0.2, "in this run, bagged members' errors correlate less"
assert bags[0] > seeds[0], "... each bagged member is worse on average"
assert seeds[4] < seeds[3], "in this run, the best seed member beats the seed ensemble"

# %% Averaging m of the K members: the gain is set by the error correlation rho
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.5, 3.6), label=(
    "Left: 30 noisy points, the true function, the eight bagged networks as thin "
    "curves that disagree where data are sparse, and their average, which is "
    "smoother. Right: squared error of an average of m members divided by the mean "
    "member error, falling with m towards rho; the seed and bagging ensembles lie "
    "on the formula 1/m + (1 - 1/m) rho for their own rho"))
ax1.plot(x, y, "k.", label="training data")
ax1.plot(grid, target, "k--", label="true function")
ax1.plot(grid, preds[K:].T, lw=0.6, alpha=0.6)
ax1.plot(grid, stats["bagging"][2], lw=2.5, label="average of 8 bagged nets")
ax1.set(xlabel="x", ylabel="prediction", ylim=(-2.5, 2.5))
ax1.legend(fontsize=7)
m_values = range(1, K + 1)
for name, f in ensembles.items():
    E_bar, rho, *_ = stats[name]
    ratio = []  # mean over all subsets of size m of (averaged error / E_bar)
    for m in m_values:
        subsets = torch.tensor(list(itertools.combinations(range(K), m)))
        sub_err = ((f[subsets].mean(1) - target) ** 2).mean(1)
        ratio.append((sub_err.mean() / E_bar).item())
    want = [(1 / m + (1 - 1 / m) * rho).item() for m in m_values]
    assert torch.allclose(torch.tensor(ratio), torch.tensor(want), rtol=1e-9), (
        "over all subsets of size m, the mean error follows 1/m + (1 - 1/m) rho")
    ax2.plot(m_values, ratio, "o", label=f"{name} (rho = {rho:.2f})")
    ax2.plot(m_values, want, "-", lw=0.8, color=ax2.lines[-1].get_color())
    print(f"{name}: error of the average / mean member error, m = 1..{K}: "
          + ", ".join(f"{r:.2f}" for r in ratio))
ax2.set(xlabel="members averaged m", ylabel="ensemble error / mean member error",
        ylim=(0, 1.05))
ax2.legend(fontsize=8)
fig.tight_layout()
