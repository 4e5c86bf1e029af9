# %% clip_grad_norm_ rescales the whole gradient: bounded norm, same direction
import torch
from torch import nn
import matplotlib.pyplot as plt

torch.manual_seed(0)
net = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 1))
# unnormalised inputs -> huge gradients
X = 100 * torch.randn(64, 10)
nn.functional.mse_loss(net(X), torch.randn(64, 1)).backward()
def flat():
    return torch.cat([p.grad.flatten() for p in net.parameters()])

saved = [p.grad.clone() for p in net.parameters()]
g = flat().clone()
# returns the norm before clipping
total = nn.utils.clip_grad_norm_(net.parameters(), max_norm=1.0)
print(f"gradient norm before clipping: {total:.1f}, after: {flat().norm():.4f}")
assert torch.isclose(total, g.norm()) and total > 1, "returns the norm before clipping"
assert flat().norm() <= 1.0 + 1e-5, "clipped to norm 1"
assert torch.allclose(flat(), g / g.norm(), atol=1e-6), "same direction, unit length"
for p, original in zip(net.parameters(), saved):  # restore, then clip by value
    p.grad.copy_(original)
nn.utils.clip_grad_value_(net.parameters(), clip_value=0.01)
cos = torch.nn.functional.cosine_similarity(flat(), g, dim=0)
print(f"clip_grad_value_: cosine between clipped and original gradient = {cos:.3f}")
assert cos < 0.9, "value clipping changes the direction"

# %% Too large a learning rate explodes even from w = 0, and clipping only bounds it
# features with unequal scales
A = torch.randn(200, 5) * torch.tensor([3.0, 1.0, 1.0, 0.5, 0.1])
b = A @ torch.randn(5) + 0.1 * torch.randn(200)
# sharpness of the MSE loss
lam_max = torch.linalg.eigvalsh(2 * A.T @ A / len(A)).max().item()
runs, directions = {}, {}
for label, lr, clip in [("lr = 1.8 / lambda_max", 1.8 / lam_max, None),
                        ("lr = 2.2 / lambda_max", 2.2 / lam_max, None),
                        ("lr = 2.2 / lambda_max, clip norm 1", 2.2 / lam_max, 1.0)]:
    w = torch.zeros(5, requires_grad=True)
    opt, norms, grads = torch.optim.SGD([w], lr=lr), [], []
    for _ in range(200):
        opt.zero_grad()
        ((A @ w - b) ** 2).mean().backward()
        norms.append(w.grad.norm().item())
        grads.append(w.grad.clone())
        if clip:
            nn.utils.clip_grad_norm_([w], clip)
        opt.step()
    runs[label], directions[label] = norms, torch.stack(grads)
    print(f"{label:36s} gradient norm: step 0 {norms[0]:8.2f}, "
          f"step 199 {norms[-1]:10.3g}")
stable, unstable = runs["lr = 1.8 / lambda_max"], runs["lr = 2.2 / lambda_max"]
clipped = runs["lr = 2.2 / lambda_max, clip norm 1"]
assert stable[-1] < 1e-2 * stable[0], "below 2 / lambda_max: converges"
assert unstable[-1] > 1e3 * unstable[0], "above 2 / lambda_max: explodes"
# a clipped step has length lr, so it settles where it jumps from -lr/2 to +lr/2 along
# the sharpest direction: gradient norm lambda_max * lr / 2 = 1.1, above the threshold 1
late_norms = torch.tensor(clipped[100:])
print(f"clipped run, steps 100-199: gradient norm {late_norms.min():.3f} to "
      f"{late_norms.max():.3f}, mean {late_norms.mean():.4f} (lambda_max lr / 2 = 1.1)")
assert (late_norms > 1).all(), "clipped: the clip fires on every late step"
assert abs(late_norms.mean() / (2.2 / 2) - 1) < 0.01, "...and the norm sits near 1.1"
assert clipped[-1] > 100 * stable[-1], "...but not converging: 100x the stable run"
late = directions["lr = 2.2 / lambda_max, clip norm 1"][100:]
flip = nn.functional.cosine_similarity(late[1:], late[:-1], dim=1)
print(f"clipped run, steps 100-199: cosine between consecutive gradients at most "
      f"{flip.max():.4f}")
assert flip.max() < -0.9, "clipped: the gradient reverses every step (oscillation)"

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
