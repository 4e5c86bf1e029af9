# %% AdaGrad, RMSProp and Adam written out, against torch.optim at every step
import torch
import matplotlib.pyplot as plt

torch.manual_seed(0)
d, steps = 8, 300
A = torch.randn(d, d, dtype=torch.float64) * torch.logspace(-2, 1, d)  # column scales
target = torch.randn(d, dtype=torch.float64)
noise = torch.randn(steps, d, dtype=torch.float64)
grad = lambda p, t: A.T @ (A @ (p - target)) + noise[t]  # noisy least squares

def adagrad(p, s, g, t, lr=0.1, eps=1e-10):  # Duchi et al.: sum of all squared grads
    s["G"] = s.get("G", 0) + g**2
    return p - lr * g / (s["G"].sqrt() + eps)

def rmsprop(p, s, g, t, lr=0.01, alpha=0.99, eps=1e-8):  # running mean of g^2
    s["v"] = alpha * s.get("v", 0) + (1 - alpha) * g**2
    return p - lr * g / (s["v"].sqrt() + eps)

def adam(p, s, g, t, lr=0.01, b1=0.9, b2=0.999, eps=1e-8, correct=(True, True)):
    s["m"] = b1 * s.get("m", 0) + (1 - b1) * g  # Kingma & Ba, Algorithm 1;
    s["v"] = b2 * s.get("v", 0) + (1 - b2) * g**2  # correct: (m, v) bias-corrected?
    m_hat = s["m"] / (1 - b1**t) if correct[0] else s["m"]
    v_hat = s["v"] / (1 - b2**t) if correct[1] else s["v"]
    return p - lr * m_hat / (v_hat.sqrt() + eps)

documented = {torch.optim.Adagrad: dict(lr=1e-2, eps=1e-10,
                                        initial_accumulator_value=0),
              torch.optim.RMSprop: dict(lr=1e-2, alpha=0.99, eps=1e-8),
              torch.optim.Adam: dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8)}
pairs = [(adagrad, torch.optim.Adagrad, 0.1), (rmsprop, torch.optim.RMSprop, 0.01),
         (adam, torch.optim.Adam, 0.01)]
for mine, Opt, lr in pairs:
    p = torch.zeros(d, dtype=torch.float64, requires_grad=True)
    opt, q, state, worst = Opt([p], lr=lr), torch.zeros(d, dtype=torch.float64), {}, 0
    for t in range(steps):
        p.grad = grad(p.detach(), t); opt.step()
        q = mine(q, state, grad(q, t), t + 1)
        worst = max(worst, ((p.detach() - q).abs().max() / q.abs().max()).item())
    kw = {k: v for k, v in Opt([p]).defaults.items() if k in documented[Opt]}
    print(f"{Opt.__name__:8s} max relative gap {worst:.1e}; defaults {kw}")
    assert worst < 1e-10, f"{Opt.__name__} follows the update rule written out"
    assert kw == documented[Opt], f"{Opt.__name__}: defaults as the page quotes them"

# %% Bias correction: the step Adam takes with a constant gradient, in units of lr
b1, b2, T = 0.9, 0.999, 1000
t = torch.arange(1, T + 1, dtype=torch.float64)

def steps_of(Opt, g, **kw):
    """Step sizes in units of lr, a row per step; g[k] is the gradient of step k + 1
    (its last row repeats to the end)."""
    p = torch.zeros_like(g[0], requires_grad=True)
    opt, out = Opt([p], lr=1e-3, **kw), []
    for k in range(T):
        before = p.detach().clone(); p.grad = g[min(k, len(g) - 1)].clone(); opt.step()
        out.append((before - p.detach()) / 1e-3)
    return torch.stack(out)

def own_steps(correct):
    """The same for the hand-written adam() above, gradient 1, with some corrections."""
    q, state, out = torch.zeros(1, dtype=torch.float64), {}, []
    for k in range(1, T + 1):
        new = adam(q, state, torch.ones(1, dtype=torch.float64), k, 1e-3,
                   correct=correct)
        out.append((q - new) / 1e-3); q = new
    return torch.cat(out)

scales = torch.tensor([[1e-3, 1.0, 1e3]], dtype=torch.float64)
adam_steps = steps_of(torch.optim.Adam, scales)  # one column per gradient scale
rms = steps_of(torch.optim.RMSprop, scales[:, 1:2])[:, 0]
assert torch.allclose(adam_steps, torch.ones_like(adam_steps), rtol=1e-4), (
    "with bias correction every step is lr, whatever the gradient's scale")
assert torch.allclose(rms, 1 / (1 - 0.99**t).sqrt(), rtol=1e-6), (
    "RMSprop has no bias correction: step t is lr / sqrt(1 - alpha^t)")
none, only_v, only_m = (own_steps(c) for c in [(False,) * 2, (False, True),
                                               (True, False)])
m, v = 1 - b1**t, 1 - b2**t  # closed forms: m_t / g and v_t / g^2, eps ignored
worst = 0.0  # largest relative gap between a measured step and its closed form
for run, closed in ((none, m / v.sqrt()), (only_v, m), (only_m, 1 / v.sqrt())):
    assert torch.allclose(run, closed, rtol=1e-6), "measured step = closed form"
    worst = max(worst, ((run - closed).abs() / closed).max().item())
assert (none > adam_steps[:, 1]).all(), (
    "without correction every step is larger than torch Adam's, not smaller")
peak = int(none.argmax())
print(f"torch Adam, g = 1e-3, 1, 1e3: every step "
      f"{adam_steps.min():.4f} to {adam_steps.max():.4f} lr")
print(f"hand-written Adam without any correction: step 1 = {none[0]:.3f} lr, peak "
      f"{none[peak]:.2f} lr at step {peak + 1}, step 1000 = {none[999]:.3f} lr")
print(f"correcting only v: step 1 = {only_v[0]:.3f} lr; "
      f"only m: step 1 = {only_m[0]:.1f} lr (closed forms met to {worst:.1e})")
print(f"torch RMSprop (alpha 0.99): step 1 = {rms[0]:.3f} lr, "
      f"step 100 = {rms[99]:.3f} lr")

fig, ax = plt.subplots(figsize=(6.5, 3.4), label=(
    "Step size in units of the learning rate against step, log scale in steps, for a "
    "constant gradient: torch Adam stays at 1; Adam without bias correction starts "
    "at 3.2, peaks near 6.6 at step 12 and is still above 1.2 at step 1000; torch "
    "RMSprop starts at 10 and falls close to 1 within a few hundred steps"))
ax.semilogx(t, adam_steps[:, 1], label="torch Adam (bias-corrected)")
ax.semilogx(t, none, label="Adam without bias correction (hand-written)")
ax.semilogx(t, rms, label="torch RMSprop (no correction)")
ax.set(xlabel="step", ylabel="step size / lr")
ax.legend(fontsize=8)
fig.tight_layout()

# %% AMSGrad in PyTorch: a maximum of the uncorrected v, then the bias correction
g = torch.full((T, 1), 0.01, dtype=torch.float64)
g[0] = 10.0  # one large gradient, then a small constant one
ams = steps_of(torch.optim.Adam, g, amsgrad=True)[:, 0]
grow = ams[999] / ams[99]  # v_max stays v_1; only the correction 1 - b2^t changes
print(f"torch Adam(amsgrad=True), gradient 10 then 0.01: step 100 = {ams[99]:.4f} "
      f"lr, step 1000 = {ams[999]:.4f} lr ({grow:.2f} x larger; "
      f"sqrt((1 - b2^1000) / (1 - b2^100)) = {(v[999] / v[99]).sqrt():.2f})")
assert abs(grow / (v[999] / v[99]).sqrt() - 1) < 0.01, (
    "PyTorch's AMSGrad step still grows as the bias correction fades")
