# %% The Hessian at each critical point of f(x, y) = x^2/2 - y^2/2 + y^4/4
import torch
from torch.autograd.functional import hessian

torch.manual_seed(0)
f = lambda p: 0.5 * p[0] ** 2 - 0.5 * p[1] ** 2 + 0.25 * p[1] ** 4
for name, (x, y) in {"saddle": (0.0, 0.0), "minimum": (0.0, 1.0)}.items():
    H = hessian(f, torch.tensor([x, y], dtype=torch.float64))
    exact = torch.diag(torch.tensor([1.0, 3 * y**2 - 1], dtype=torch.float64))
    assert torch.allclose(H, exact), "autograd Hessian = diag(1, 3y^2 - 1)"
    print(f"{name:8s} at ({x:.0f}, {y:.0f}): eigenvalues "
          f"{torch.linalg.eigvalsh(H).tolist()}")

# %% A tanh network with every weight at zero sits on a strict saddle
n, d, H_units = 256, 3, 4
X = torch.randn(n, d, dtype=torch.float64)
y = X @ torch.tensor([1.0, -0.5, 0.25], dtype=torch.float64)  # a linear target
y = y + 0.1 * torch.randn(n, dtype=torch.float64)
sizes = [H_units * d, H_units, 1]  # W (H x d), v (H), output bias b

def loss(theta):
    W, v, b = theta.split(sizes)
    out = torch.tanh(X @ W.view(H_units, d).T) @ v + b
    return 0.5 * (out - y).pow(2).mean()

theta0 = torch.cat([torch.zeros(H_units * d + H_units, dtype=torch.float64),
                    y.mean().view(1)])  # W = 0, v = 0, b = mean(y)
theta = theta0.clone().requires_grad_()
loss(theta).backward()
print(f"zero init: |gradient| = {theta.grad.norm():.1e}, loss = "
      f"{loss(theta0):.4f} = var(y) / 2 = {0.5 * y.var(correction=0):.4f}")
assert theta.grad.norm() < 1e-14, "all-zero weights with b = mean(y): a critical point"

eig = torch.linalg.eigvalsh(hessian(loss, theta0))
g = ((y.mean() - y)[:, None] * X).mean(0)  # E[(mean(y) - y) x] = -Cov(x, y)
k = g.norm().item()  # closed form: +-|g| per unit, H(d - 1) zeros, 1 for b
expected = torch.tensor(sorted([k] * H_units + [-k] * H_units
                               + [0.0] * (H_units * (d - 1)) + [1.0]),
                        dtype=torch.float64)
print(f"{len(eig)} Hessian eigenvalues: {[round(e, 3) for e in eig.tolist()]}")
print(f"closed form: +-|Cov(x, y)| = +-{k:.3f} (x{H_units} each), "
      f"{H_units * (d - 1)} zeros, 1 for the bias")
assert torch.allclose(eig, expected, atol=1e-10), (
    "zero-init Hessian eigenvalues = +-|Cov(x, y)|, zeros and 1 (closed form)")
index = (eig < -1e-10).float().mean()
print(f"index (fraction of negative eigenvalues) = {index:.3f}: a strict saddle")
assert index > 0, "at least one negative eigenvalue: a strict saddle, not a minimum"
