# %% clip_grad_norm_ rescales the whole gradient: bounded norm, same direction
import torch
from torch import nn
import matplotlib.pyplot as plt

torch.manual_seed(0)
net = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 1))
# unnormalised inputs -> huge gradients
X = 100 * torch.randn(64, 10)
nn.functional.mse_loss(net(X), torch.randn(64, 1)).backward()
flat = lambda: torch.cat([p.grad.flatten() for p in net.parameters()])
g = flat().clone()
# returns the norm before clipping
total = nn.utils.clip_grad_norm_(net.parameters(), max_norm=1.0)
print(f"gradient norm before clipping: {total:.1f}, after: {flat().norm():.4f}")
assert torch.isclose(total, g.norm()) and total > 1
assert flat().norm() <= 1.0 + 1e-5
assert torch.allclose(flat(), g / g.norm(), atol=1e-6)     # same direction, unit length
# restore, then clip by value instead
sizes = [p.numel() for p in net.parameters()]
for p, gp in zip(net.parameters(), torch.split(g, sizes)):
    p.grad.copy_(gp.view_as(p))
nn.utils.clip_grad_value_(net.parameters(), clip_value=0.01)
cos = torch.nn.functional.cosine_similarity(flat(), g, dim=0)
print(f"clip_grad_value_: cosine between clipped and original gradient = {cos:.3f}")
# value clipping changes the direction
assert cos < 0.99

# %% A well-initialised model still explodes when the learning rate is too large
# features with unequal scales
A = torch.randn(200, 5) * torch.tensor([3.0, 1.0, 1.0, 0.5, 0.1])
b = A @ torch.randn(5) + 0.1 * torch.randn(200)
# sharpness of the MSE loss
lam_max = torch.linalg.eigvalsh(2 * A.T @ A / len(A)).max().item()
runs = {}
for label, lr, clip in [("lr = 1.8 / lambda_max", 1.8 / lam_max, None),
                        ("lr = 2.2 / lambda_max", 2.2 / lam_max, None),
                        ("lr = 2.2 / lambda_max, clip norm 1", 2.2 / lam_max, 1.0)]:
    w = torch.zeros(5, requires_grad=True)
    opt, norms = torch.optim.SGD([w], lr=lr), []
    for _ in range(200):
        opt.zero_grad()
        ((A @ w - b) ** 2).mean().backward()
        norms.append(w.grad.norm().item())
        if clip:
            nn.utils.clip_grad_norm_([w], clip)
        opt.step()
    runs[label] = norms
    print(f"{label:36s} gradient norm: step 0 {norms[0]:8.2f}, "
          f"step 199 {norms[-1]:10.3g}")
assert runs["lr = 1.8 / lambda_max"][-1] < 1e-2 * runs["lr = 1.8 / lambda_max"][0]
assert runs["lr = 2.2 / lambda_max"][-1] > 1e3 * runs["lr = 2.2 / lambda_max"][0]
clipped = runs["lr = 2.2 / lambda_max, clip norm 1"]
# bounded: it settles into an oscillation
assert max(clipped[100:]) < 3 and min(clipped[100:]) > 0.5
assert clipped[-1] > 50 * runs["lr = 1.8 / lambda_max"][-1]  # ...instead of converging

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Gradient norm over 200 steps of gradient descent on a least-squares problem: it "
    "decays with a learning rate below 2 over the largest curvature, grows "
    "geometrically just above it, and stays bounded but does not converge when the "
    "large step is combined with norm clipping"
))
for label, norms in runs.items():
    ax.semilogy(norms, label=label)
ax.set(xlabel="step", ylabel="gradient norm")
ax.legend()
fig.tight_layout()
