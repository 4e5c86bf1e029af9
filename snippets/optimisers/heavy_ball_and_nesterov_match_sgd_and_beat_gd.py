# %% Polyak's heavy ball and Sutskever's Nesterov step, against torch.optim.SGD
import torch
import matplotlib.pyplot as plt

torch.manual_seed(0)
d = 10
Q, _ = torch.linalg.qr(torch.randn(d, d, dtype=torch.float64))
lam = torch.logspace(0, 2, d, dtype=torch.float64)  # eigenvalues 1 ... 100
H = Q @ torch.diag(lam) @ Q.T  # f(x) = 1/2 x^T H x, condition number 100
grad = lambda x: H @ x
x0 = torch.randn(d, dtype=torch.float64)

def sgd_path(lr, mu, nesterov, steps):
    """Iterates of torch.optim.SGD on f, x0 first."""
    p = x0.clone().requires_grad_()
    opt = torch.optim.SGD([p], lr=lr, momentum=mu, nesterov=nesterov)
    path = [x0]
    for _ in range(steps):
        p.grad = grad(p.detach()); opt.step(); path.append(p.detach().clone())
    return torch.stack(path)

lr, mu, steps = 0.01, 0.9, 60
heavy, prev = [x0], x0  # Polyak: x+ = x - lr grad(x) + mu (x - x_prev)
for _ in range(steps):
    x = heavy[-1]
    heavy.append(x - lr * grad(x) + mu * (x - prev)); prev = x
theta, v, ahead = x0, torch.zeros(d, dtype=torch.float64), [x0]
for _ in range(steps):  # Sutskever: gradient at the look-ahead point theta + mu v
    v = mu * v - lr * grad(theta + mu * v); theta = theta + v
    ahead.append(theta + mu * v)
heavy, ahead = torch.stack(heavy), torch.stack(ahead)
torch_hb, torch_nag = (sgd_path(lr, mu, n, steps) for n in (False, True))
print(f"max |torch - Polyak|:            {(torch_hb - heavy).abs().max():.1e}")
print(f"max |torch - Sutskever ahead|:   {(torch_nag - ahead).abs().max():.1e}")
print(f"max |heavy ball - Nesterov|:     {(heavy - ahead).abs().max():.3f}")
assert torch.allclose(torch_hb, heavy, rtol=1e-10, atol=1e-12), (
    "SGD(momentum) is Polyak's heavy ball: b = mu b + g, p -= lr b")
assert torch.allclose(torch_nag, ahead, rtol=1e-10, atol=1e-12), (
    "SGD(nesterov=True) iterates are Sutskever's look-ahead points theta + mu v")
assert (heavy - ahead).abs().max() > 0.01, "the two methods really differ here"

g = torch.ones(1, dtype=torch.float64)  # a constant gradient: steps grow to lr g/(1-mu)
p = torch.zeros(1, dtype=torch.float64, requires_grad=True)
opt, moves = torch.optim.SGD([p], lr=0.01, momentum=0.9), []
for t in range(1, 101):
    before = p.item(); p.grad = g.clone(); opt.step(); moves.append(before - p.item())
print(f"constant gradient: step 1 = {moves[0] / 0.01:.2f} lr, "
      f"step 100 = {moves[-1] / 0.01:.3f} lr")
assert abs(moves[-1] - 0.01 / (1 - 0.9) * (1 - 0.9**100)) < 1e-12, (
    "with a constant gradient the step is lr (1 - mu^t) / (1 - mu)")

# %% Tuned on a condition number of 100: the rate drops from 0.98 to about 0.82 a step
L, m = lam.max().item(), lam.min().item()
k = L / m
tuned = {  # the classic tunings for a quadratic with eigenvalues in [m, L]
    "GD, lr 2/(L+m)": (2 / (L + m), 0.0, False),
    "heavy ball, tuned": (4 / (L**0.5 + m**0.5) ** 2,
                          ((k**0.5 - 1) / (k**0.5 + 1)) ** 2, False),
    "Nesterov, lr 1/L": (1 / L, (k**0.5 - 1) / (k**0.5 + 1), True),
}
closed = {"GD, lr 2/(L+m)": (k - 1) / (k + 1),
          "heavy ball, tuned": (k**0.5 - 1) / (k**0.5 + 1),
          "Nesterov, lr 1/L": 1 - k**-0.5}
T, target = 400, 1e-6
losses = {}
print(f"condition number {k:.0f}")
for name, (lr, mu, nest) in tuned.items():
    path = sgd_path(lr, mu, nest, T)
    loss = 0.5 * ((path @ H) * path).sum(1)
    losses[name] = loss
    hit = int((loss < target * loss[0]).nonzero()[0])
    tail = (path[200:300].norm(dim=1) / path[199:299].norm(dim=1)).log().mean().exp()
    print(f"{name:18s} lr {lr:.4f} mu {mu:.4f}: loss x 1e-6 at step {hit:3d}; "
          f"rate {tail:.4f} per step (closed form {closed[name]:.4f})")
    assert abs(tail / closed[name] - 1) < 0.01, f"{name}: measured rate = closed form"
    losses[name + " hit"] = hit
gd, hb, nag = (losses[n + " hit"] for n in tuned)
print(f"GD needs {gd / hb:.1f} x the steps of heavy ball, {gd / nag:.1f} x Nesterov's")
assert hb * 4 < gd and nag * 4 < gd, "tuned momentum needs far fewer steps than GD"
hb_loss = losses["heavy ball, tuned"]
print(f"heavy ball's loss first rises: peak {hb_loss.max() / hb_loss[0]:.1f} x the "
      f"start at step {int(hb_loss.argmax())}; GD's never rises: "
      f"{bool((losses['GD, lr 2/(L+m)'].diff() <= 0).all())}")
assert hb_loss.max() > hb_loss[0] and (losses["GD, lr 2/(L+m)"].diff() <= 0).all(), (
    "momentum's loss is not monotone, even below the stability limit; GD's is")
lr_hb, mu_hb, _ = tuned["heavy ball, tuned"]
print(f"tuned heavy ball: lr L = {lr_hb * L:.2f} against the limit 2(1 + mu) = "
      f"{2 * (1 + mu_hb):.2f} ({lr_hb * L / (2 * (1 + mu_hb)):.0%} of it)")
slow = 0.5 * ((torch_hb @ H) * torch_hb).sum(1)  # cell 1: lr 0.01, mu 0.9
rises = int((slow.diff() > 0).sum())
print(f"lr 0.01, mu 0.9 (lr L = {0.01 * L:.2f}, limit {2 * 1.9:.2f}): loss rises at "
      f"{rises} of {steps} steps, peak after step 0 {slow[1:].max() / slow[0]:.2f} x "
      f"the start")
assert rises > 0 and slow[1:].max() < slow[0], (
    "further below the limit the loss still rises at times, but not above its start")

fig, ax = plt.subplots(figsize=(6.5, 3.6), label=(
    "Loss against step on a log scale for gradient descent, tuned heavy-ball momentum "
    "and Nesterov momentum on a quadratic with condition number 100: both momentum "
    "methods fall many times more steeply than gradient descent, and each curve "
    "ends up parallel to a dotted line of its closed-form rate"))
for name in tuned:
    line, = ax.semilogy(losses[name], label=name)
    ref = losses[name][0] * torch.tensor(closed[name]) ** (2 * torch.arange(T + 1))
    ax.semilogy(ref, ":", color=line.get_color())
ax.set(xlabel="step", ylabel="loss 1/2 x^T H x", ylim=(1e-20, None))
ax.legend(fontsize=8)
fig.tight_layout()
