# %% SGD(weight_decay=lam) and SGD on loss + lam/2 |w|^2: the same weights, every step
import torch
import torch.nn.functional as F

torch.manual_seed(0)
X = torch.randn(64, 4, dtype=torch.float64)
y = torch.randn(64, 1, dtype=torch.float64)
lr, lam = 0.05, 0.01


def make():  # the same small network from the same start each time
    torch.manual_seed(1)
    return torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.Tanh(),
                               torch.nn.Linear(16, 1)).double()


for momentum in (0.0, 0.9):
    a, b = make(), make()
    opt_a = torch.optim.SGD(a.parameters(), lr=lr, momentum=momentum, weight_decay=lam)
    opt_b = torch.optim.SGD(b.parameters(), lr=lr, momentum=momentum)
    worst = 0.0
    for step in range(50):
        for net, opt, pen in ((a, opt_a, 0.0), (b, opt_b, lam)):
            opt.zero_grad()
            l2 = sum((p**2).sum() for p in net.parameters())
            loss = F.mse_loss(net(X), y) + pen / 2 * l2
            loss.backward()
            opt.step()
        gap = max((p - q).abs().max().item()
                  for p, q in zip(a.parameters(), b.parameters()))
        worst = max(worst, gap)
        assert gap < 1e-12, f"step {step}: weight_decay is the L2 penalty's gradient"
    moved = max((p - q).abs().max().item()
                for p, q in zip(a.parameters(), make().parameters()))
    print(f"momentum {momentum}: weights moved up to {moved:.3f}; "
          f"largest gap between the two runs over 50 steps = {worst:.1e}")
    assert moved > 1e-2, "the runs really trained"

# %% With no data gradient, each step multiplies w by (1 - lr * lam): decay ~ lr * lam
for lr_ in (0.1, 0.05):
    w = torch.ones(3, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w], lr=lr_, weight_decay=lam)
    for _ in range(100):
        w.grad = torch.zeros_like(w)  # the data loss is flat here
        opt.step()
    want = (1 - lr_ * lam) ** 100
    print(f"lr {lr_}: w after 100 steps = {w[0].item():.6f}; "
          f"(1 - lr*lam)^100 = {want:.6f}")
    assert torch.allclose(w.detach(), torch.full_like(w, want), rtol=1e-12), (
        "SGD weight decay shrinks by the factor 1 - lr * lam per step")
