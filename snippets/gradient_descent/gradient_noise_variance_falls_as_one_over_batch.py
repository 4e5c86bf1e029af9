# %% Mini-batch gradient noise against batch size, with and without replacement
import torch
import matplotlib.pyplot as plt
from matplotlib.ticker import FormatStrFormatter

torch.manual_seed(0)
N, d, draws = 1024, 5, 4000
X = torch.randn(N, d, dtype=torch.float64)
y = X @ torch.randn(d, dtype=torch.float64) + 0.5 * torch.randn(N, dtype=torch.float64)
w = torch.zeros(d, dtype=torch.float64, requires_grad=True)  # any fixed point

per_example = (X @ w.detach() - y)[:, None] * X  # gradient of 0.5 (x.w - y)^2
G = per_example.mean(0)  # the full-batch gradient
sigma2 = (per_example - G).pow(2).sum(1).mean()  # trace of the per-example covariance
idx = torch.randint(N, (5,))
(0.5 * (X[idx] @ w - y[idx]).pow(2).mean()).backward()
assert torch.allclose(w.grad, per_example[idx].mean(0)), (
    "a mini-batch gradient is the mean of its per-example gradients")

sizes = [1, 4, 16, 64, 256, 1024]
# the first 256 places of a random permutation per draw: B < N examples, no repeats
perms = torch.rand(draws, N).topk(256, largest=False).indices
measured = {"with replacement": [], "without replacement": []}
for B in sizes:
    without = perms[:, :B] if B < N else torch.randperm(N)[None]  # B = N: all of them
    for name, batch in [("with replacement", torch.randint(N, (draws, B))),
                        ("without replacement", without)]:
        noise = per_example[batch].mean(1) - G  # (draws, d)
        measured[name].append(noise.pow(2).sum(1).mean().item())
G2 = G.pow(2).sum()
print(f"sigma^2 = tr(Cov of per-example gradients) = {sigma2:.3f}, |G|^2 = "
      f"{G2:.3f}, noise scale sigma^2 / |G|^2 = {sigma2 / G2:.1f}")
print("   B   E|g_B - G|^2: with repl. (sigma^2/B)   without (x (N-B)/(N-1))")
for i, B in enumerate(sizes):
    theory = {"with replacement": sigma2 / B,
              "without replacement": sigma2 / B * (N - B) / (N - 1)}
    with_r, without_r = (measured[k][i] for k in measured)
    print(f"{B:5d}   {with_r:9.4f} ({theory['with replacement']:.4f})"
          f"        {without_r:9.4f} ({theory['without replacement']:.4f})")
    for name, th in theory.items():
        if B < N or name == "with replacement":
            assert abs(measured[name][i] / th - 1) < 0.1, f"{name}: closed form, B={B}"
assert measured["without replacement"][-1] < 1e-20, "B = N without replacement: exact"

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Mean squared deviation of the mini-batch gradient from the full gradient "
    "against batch size on log-log axes: with replacement the points lie on the "
    "line sigma squared over B; without replacement they bend below it and reach "
    "zero at B equal to N"))
Bs = torch.logspace(0, 3, 60, dtype=torch.float64)  # B from 1 to 1000
ax.loglog(sizes, measured["with replacement"], "o", label="with replacement")
ax.loglog(sizes[:-1], measured["without replacement"][:-1], "s",
          label="without replacement (0 at B = N)")
ax.loglog(Bs, sigma2 / Bs, "-", label="sigma^2 / B")
ax.loglog(Bs, sigma2 / Bs * (N - Bs) / (N - 1), "--",
          label="sigma^2 / B x (N - B) / (N - 1)")
ax.set(xlabel="batch size B", ylabel="E |g_B - G|^2")
ax.minorticks_off()  # plain tick labels, no minor ticks: the figure draws faster
for axis in (ax.xaxis, ax.yaxis):
    axis.set_major_formatter(FormatStrFormatter("%g"))
ax.legend()
fig.tight_layout()

# %% Linear scaling: k times the batch with k times the learning rate
X, y = X.detach(), y.detach()
w_star = torch.linalg.lstsq(X, y[:, None]).solution[:, 0]
loss = lambda V: 0.5 * (V @ X.T - y).pow(2).mean(-1)  # one loss per row of V
excess = lambda V: loss(V) - loss(w_star)
lam_max = torch.linalg.eigvalsh(X.T @ X / N)[-1]

def train(B, lr, epochs=4, seed=1):
    """SGD from w = 0; returns epochs so far and excess loss after every step."""
    g, v = torch.Generator().manual_seed(seed), torch.zeros(d, dtype=torch.float64)
    path = []
    for _ in range(epochs):
        for idx in torch.randperm(N, generator=g).split(B):
            v = v - lr * X[idx].T @ (X[idx] @ v - y[idx]) / len(idx)
            path.append(v)
    return torch.arange(1, len(path) + 1) * B / N, excess(torch.stack(path))

base_lr, k = 0.02, 8
runs = {f"B=8, lr {base_lr}": (8, base_lr),
        f"B=64, lr {k * base_lr} (scaled)": (64, k * base_lr),
        f"B=64, lr {base_lr} (not scaled)": (64, base_lr)}
curves = {name: [train(B, lr, seed=s) for s in (1, 2, 3)]  # seed 1 is plotted
          for name, (B, lr) in runs.items()}
final = {name: sum(c[-(N // B):].mean().item() for _, c in curves[name]) / 3
         for name, (B, lr) in runs.items()}  # the noise floor: all of epoch 4
for name, value in final.items():
    print(f"{name:27s} mean excess loss in epoch 4 (3 seeds): {value:.2e}")
small, scaled, unscaled = final.values()
assert 0.67 < scaled / small < 1.5, "linear scaling: about the same loss per epoch"
assert unscaled > 10 * small, "same lr with an 8x batch: 8x fewer steps, slower"
for factor in (0.95, 1.05):  # full batch: the rule stops at 2 / lambda_max
    lr = factor * 2 / lam_max.item()
    end = train(N, lr, epochs=200)[1][-1].item()
    shown = f"{end:.1e}" if abs(end) > 1e-12 else "below 1e-12 (rounding)"
    print(f"full batch, lr {lr:.2f} = {factor} x 2/lambda_max: excess loss {shown}")
    assert (end < 1e-6) == (factor < 1), "GD on a quadratic diverges iff lr > 2/lam"
factor, start = 0.8, excess(torch.zeros(d, dtype=torch.float64))  # mini-batches
lr = factor * 2 / lam_max.item()
ends = {B: train(B, lr, epochs=2)[1][-1].item() for B in (N, 64, 8)}
print(f"lr {lr:.2f} = {factor} x 2/lambda_max, 2 epochs from excess loss {start:.2f}: "
      + ", ".join(f"B={B} {end:.1e}" for B, end in ends.items()))
assert ends[N] < start and ends[64] < start, "stable below 2/lambda_max"
assert ends[8] > 100 * start, "a small batch diverges below 2/lambda_max"

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Excess training loss against epochs on a log scale: B=64 with an 8 times "
    "larger learning rate follows the B=8 curve, while B=64 with the B=8 learning "
    "rate falls far more slowly"))
for name, ((seen, curve), *_) in curves.items():
    ax.semilogy(seen, curve, label=name)
ax.set(xlabel="epochs", ylabel="training loss - optimum")
ax.minorticks_off()
ax.legend()
fig.tight_layout()
