# %% Train a Switch (top-1) layer with and without the load-balancing loss
import torch
import torch.nn.functional as F
import matplotlib.pyplot as plt

torch.manual_seed(0)
T, d, N, h, steps = 128, 8, 8, 16, 150  # tokens per batch, width, experts, hidden
centers = torch.randn(N, d) * 2  # synthetic data: 8 clusters, one linear map each
maps = torch.randn(N, d, d) / d**0.5

def batch(gen):
    c = torch.randint(0, N, (T,), generator=gen)
    x = centers[c] + torch.randn(T, d, generator=gen)
    return x, torch.einsum("td,tdk->tk", x, maps[c]) / 2

def train(alpha, seed=0):
    torch.manual_seed(seed)  # same initial weights and batches for both runs
    init = lambda *s: (torch.randn(*s) / s[-2] ** 0.5).requires_grad_()
    W_r, W1, W2 = init(d, N), init(N, d, h), init(N, h, d)
    opt = torch.optim.Adam([W_r, W1, W2], lr=1e-2)
    gen = torch.Generator().manual_seed(1)
    loads = []
    for step in range(steps):
        x, y = batch(gen)
        p = (x @ W_r).softmax(-1)
        mask = F.one_hot(p.argmax(-1), N).to(x.dtype)  # top-1 routing
        # every expert on every token, then the top-1 one kept: the same output as a
        # dispatched layer (first demo on this page), simpler at this size
        out = torch.einsum("ntd,tn->td", torch.relu(x @ W1) @ W2, mask * p)
        aux = N * (mask.mean(0) * p.mean(0)).sum()
        task = F.mse_loss(out, y)
        opt.zero_grad(); (task + alpha * aux).backward(); opt.step()
        loads.append(mask.sum(0))
    return torch.stack(loads), task.item(), aux.item()

runs = {alpha: train(alpha) for alpha in (0.0, 0.1)}
for alpha, (loads, task, aux) in runs.items():
    last = loads[-20:].mean(0)  # tokens per expert, mean of the last 20 batches
    C = int(1.25 * T / N)  # capacity at factor 1.25
    drop = (loads[-20:] - C).clamp(min=0).sum(1).mean() / T
    print(f"alpha {alpha}: task loss {task:.3f}, balance loss {aux:.3f}, "
          f"busiest expert {last.max():.0f} of {T} tokens (balanced {T // N}), experts "
          f"under a quarter of their share: {int((last < T / N / 4).sum())}, dropped "
          f"at cf 1.25: {drop:.0%}")
(l0, _, a0), (l1, _, a1) = runs[0.0], runs[0.1]
drops = [(r[0][-20:] - C).clamp(min=0).sum() for r in runs.values()]  # C: cf 1.25
assert drops[1] < drops[0], "in this run: fewer tokens over capacity with the loss"
assert l1[-20:].mean(0).max() < l0[-20:].mean(0).max(), "in this run: busiest expert"
assert a1 < a0, "in this run: the balance loss is lower when it is trained on"
starved = [int((r[0][-20:].mean(0) < T / N / 4).sum()) for r in (runs[0.0], runs[0.1])]
assert starved[1] < starved[0], "in this run: fewer starved experts with the loss"

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(7.5, 3.2), label=(
    "Left: tokens handled by the busiest of 8 experts at each of 150 training steps of "
    "a Switch layer, without and with the load-balancing loss (alpha 0.1). Both start "
    "near 35 of 128; without the loss it climbs to about 40, with it it settles "
    "around 25 to 30, against 16 for perfect balance (dashed). Right: tokens per "
    "expert over the last 20 steps, sorted: without the loss three experts get almost "
    "no tokens, with it one does"))
for alpha, (loads, _, _) in runs.items():
    name = "no balance loss" if alpha == 0 else f"balance loss, alpha {alpha}"
    ax1.plot(loads.max(1).values, label=name, lw=1)
    ax2.plot(loads[-20:].mean(0).sort(descending=True).values, "o-", label=name)
for ax in (ax1, ax2):
    ax.axhline(T / N, ls="--", lw=0.8, color="grey")
ax1.set(xlabel="training step", ylabel="tokens at the busiest expert")
ax2.set(xlabel="expert (sorted by load)", ylabel="tokens per batch")
ax1.legend(fontsize=8)
fig.tight_layout()
