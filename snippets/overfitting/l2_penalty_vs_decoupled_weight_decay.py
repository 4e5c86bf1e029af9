# %% One optimiser step: which weight_decay equals an L2 penalty in the loss?
import torch

torch.manual_seed(0)
A, y = torch.randn(20, 5), torch.randn(20)
w0, lr, lam = torch.randn(5), 0.1, 0.5


def one_step(opt_cls, l2=0.0, **kwargs):  # l2 > 0 adds the penalty to the loss
    w = w0.clone().requires_grad_()
    opt = opt_cls([w], lr=lr, **kwargs)
    loss = ((A @ w - y) ** 2).mean() + l2 / 2 * (w**2).sum()
    loss.backward()
    opt.step()
    return w.detach()


assert torch.allclose(one_step(torch.optim.SGD, weight_decay=lam),
                      one_step(torch.optim.SGD, l2=lam)), "SGD: weight_decay = L2"
assert torch.allclose(one_step(torch.optim.Adam, weight_decay=lam),
                      one_step(torch.optim.Adam, l2=lam)), "Adam: weight_decay = L2"
adam_plain = one_step(torch.optim.Adam)
adamw = one_step(torch.optim.AdamW, weight_decay=lam)
assert torch.allclose(adamw, adam_plain - lr * lam * w0), (
    "AdamW = Adam on the data loss, then w -= lr*lam*w"
)
assert not torch.allclose(adamw, one_step(torch.optim.Adam, l2=lam)), (
    "AdamW is not Adam + L2"
)
decoupled = one_step(torch.optim.Adam, weight_decay=lam, decoupled_weight_decay=True)
assert torch.equal(decoupled, adamw), "Adam(decoupled_weight_decay=True) is AdamW"
assert torch.optim.AdamW([w0.clone().requires_grad_()]).defaults["weight_decay"] == (
    0.01
), "AdamW's default weight_decay is 0.01"
print("SGD(weight_decay) == L2 penalty; Adam(weight_decay) == L2 penalty; "
      "AdamW == Adam(decoupled_weight_decay=True) == decoupled shrinkage")

# %% Decay applied in one step: a weight with steep (c=100) or flat (c=0.1) loss
# loss = sum(c/2 * (w - 1)^2); both weights see the same Adam history up to scale
c = torch.tensor([100.0, 0.1])


def next_weights(**group):  # 20 plain Adam steps, then one step with `group` settings
    w = torch.zeros(2, requires_grad=True)
    opt = torch.optim.Adam([w], lr=lr)
    for step in range(21):
        if step == 20:
            opt.param_groups[0].update(group)
        opt.zero_grad()
        (c / 2 * (w - 1) ** 2).sum().backward()
        opt.step()
        if step == 19:
            w_before = w.detach().clone()
    return w_before, w.detach()


w20, plain = next_weights()
print(f"after 20 Adam steps: w = {w20.numpy().round(3)} (Adam ignores gradient scale)")
assert torch.allclose(w20[0], w20[1]), "Adam's step does not depend on gradient scale"
share = {}  # decay applied in the step, as a fraction of the nominal lr * lam * w
for name, group in [("L2 (Adam weight_decay)", dict(weight_decay=lam)),
                    ("AdamW", dict(weight_decay=lam, decoupled_weight_decay=True))]:
    share[name] = (plain - next_weights(**group)[1]) / (lr * lam * w20)
    print(f"{name:22s} applies {share[name].numpy().round(4)} of lr*lam*w "
          "(steep, flat)")
assert torch.allclose(share["AdamW"], torch.ones(2), atol=1e-4), (
    "AdamW shrinks every weight by exactly lr*lam*w"
)
steep, flat = share["L2 (Adam weight_decay)"]
assert steep < 0.01 and flat > 100 * steep, (
    "under Adam + L2, a weight with large gradients is hardly decayed"
)

# %% Where full-batch training ends: Adam + L2 settles where SGD + L2 does


def train(opt_cls, steps, step_lr, l2=0.0, **kwargs):
    w = torch.zeros(2, requires_grad=True)
    opt = opt_cls([w], lr=step_lr, **kwargs)
    for _ in range(steps):
        opt.zero_grad()
        ((c / 2 * (w - 1) ** 2).sum() + l2 / 2 * (w**2).sum()).backward()
        opt.step()
    return w.detach()


l2_min = c / (c + lam)  # minimiser of the penalised loss, in closed form
ends = {"SGD + L2, 800 steps": train(torch.optim.SGD, 800, 0.015, l2=lam),
        "Adam + L2, 300 steps": train(torch.optim.Adam, 300, lr, l2=lam),
        "AdamW, 150 steps": train(torch.optim.AdamW, 150, lr, weight_decay=lam),
        "AdamW, 1500 steps": train(torch.optim.AdamW, 1500, lr, weight_decay=lam)}
print(f"{'L2 minimiser':20s} steep w = {l2_min[0]:.3f}, flat w = {l2_min[1]:.3f}")
for name, w in ends.items():
    print(f"{name:20s} steep w = {w[0]:.3f}, flat w = {w[1]:.3f}")
for name in ("SGD + L2, 800 steps", "Adam + L2, 300 steps"):
    assert torch.allclose(ends[name], l2_min, atol=1e-3), (
        f"{name} ends at the L2 minimiser"
    )
early, late = ends["AdamW, 150 steps"], ends["AdamW, 1500 steps"]
assert ((late - 1).abs() < (early - 1).abs()).all(), (
    "without gradient noise, AdamW keeps creeping back toward the unregularised w = 1"
)
