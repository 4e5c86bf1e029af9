# %% One optimiser step: which weight_decay equals an L2 penalty in the loss?
import torch

torch.manual_seed(0)
A, y = torch.randn(20, 5), torch.randn(20)
w0, lr, lam = torch.randn(5), 0.1, 0.5


def one_step(opt_cls, weight_decay=0.0, l2=0.0):
    w = w0.clone().requires_grad_()
    opt = opt_cls([w], lr=lr, weight_decay=weight_decay)
    # l2 > 0 adds the penalty to the loss
    loss = ((A @ w - y) ** 2).mean() + l2 / 2 * (w**2).sum()
    loss.backward()
    opt.step()
    return w.detach()


assert torch.allclose(one_step(torch.optim.SGD, weight_decay=lam),
                      one_step(torch.optim.SGD, l2=lam))
assert torch.allclose(one_step(torch.optim.Adam, weight_decay=lam),
                      one_step(torch.optim.Adam, l2=lam))
adam_plain = one_step(torch.optim.Adam)
adamw = one_step(torch.optim.AdamW, weight_decay=lam)
assert torch.allclose(adamw, adam_plain - lr * lam * w0), (
    "AdamW = Adam on the data loss, then w -= lr*lam*w"
)
assert not torch.allclose(adamw, one_step(torch.optim.Adam, l2=lam))
print("SGD(weight_decay) == L2 penalty; Adam(weight_decay) == L2 penalty; "
      "AdamW == decoupled shrinkage")
# AdamW's default
assert torch.optim.AdamW([w0.clone().requires_grad_()]).defaults["weight_decay"] == 0.01

# %% Where they settle: two weights, with a steep (c=100) and a flat (c=0.1) loss
# loss = sum(c/2 * (w - 1)^2); unregularised optimum w = 1
c = torch.tensor([100.0, 0.1])
finals = {}
for name, opt_cls, kind in [("Adam + L2 penalty", torch.optim.Adam, "l2"),
                            ("AdamW", torch.optim.AdamW, "wd")]:
    w = torch.zeros(2, requires_grad=True)
    opt = opt_cls([w], lr=0.1, weight_decay=lam if kind == "wd" else 0.0)
    for _ in range(150):
        opt.zero_grad()
        penalty = lam / 2 * (w**2).sum() if kind == "l2" else 0
        loss = (c / 2 * (w - 1) ** 2).sum() + penalty
        loss.backward()
        opt.step()
    finals[name] = w.detach()
    print(f"{name:18s} steep w = {w[0].item():.3f}, flat w = {w[1].item():.3f}")
print(f"{'L2 minimiser':18s} steep w = {c[0] / (c[0] + lam):.3f}, "
      f"flat w = {c[1] / (c[1] + lam):.3f}")
assert torch.allclose(finals["Adam + L2 penalty"], c / (c + lam), atol=1e-3), (
    "L2 shrinks flat directions most"
)
assert (finals["AdamW"][1] - c[1] / (c[1] + lam)).abs() > 0.5, (
    "AdamW is not the L2 minimiser"
)
assert torch.allclose(finals["AdamW"][0], finals["AdamW"][1], atol=1e-3), (
    "AdamW ignores curvature: same shrink"
)
