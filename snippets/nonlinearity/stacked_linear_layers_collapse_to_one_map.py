# %% Four stacked nn.Linear layers are one affine map
import torch
from torch import nn

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
deep_linear = nn.Sequential(nn.Linear(2, 16), nn.Linear(16, 16),
                            nn.Linear(16, 16), nn.Linear(16, 1))
W, b = torch.eye(2), torch.zeros(2)  # fold the layers in: x -> W x + b
for layer in deep_linear:
    W, b = layer.weight @ W, layer.weight @ b + layer.bias
x = torch.randn(1000, 2)
print(f"parameters in the stack: {sum(p.numel() for p in deep_linear.parameters())}, "
      f"in the folded map: {W.numel() + b.numel()}")
assert torch.allclose(deep_linear(x), x @ W.T + b, atol=1e-12), (
    "four linear layers equal W4 W3 W2 W1 x + folded bias")
mods = [m for layer in deep_linear for m in (layer, nn.ReLU())][:-1]
with_relu = nn.Sequential(*mods)
gap = (with_relu(x) - (x @ W.T + b)).abs().max().item()
print(f"same weights with ReLU in between: largest difference {gap:.3f}")
assert gap > 1e-3, "with a non-linearity between them, the layers no longer collapse"

# %% So a deep linear network does no better on XOR than one linear layer
X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
A = torch.cat([X, torch.ones(4, 1)], dim=1)
coef = torch.linalg.lstsq(A, y).solution  # the best affine fit, in closed form
best_mse = ((A @ coef - y) ** 2).mean().item()
print(f"best affine fit: largest |w| = {coef[:2].abs().max():.0e}, "
      f"b = {coef[2, 0]:.3f}, MSE = {best_mse:.4f}")
assert abs(best_mse - 0.25) < 1e-12, "the best linear fit predicts 0.5 everywhere"
opt = torch.optim.Adam(deep_linear.parameters(), lr=0.02)
for step in range(200):
    opt.zero_grad()
    loss = ((deep_linear(X) - y) ** 2).mean()
    loss.backward()
    opt.step()
print(f"trained 4-layer linear net, MSE after 200 steps: {loss.item():.4f}")
assert loss.item() >= best_mse - 1e-9, "depth cannot beat the best single linear map"
assert loss.item() < best_mse + 1e-4, "and training reaches that same optimum"
w_b = torch.rand(20_000, 3) * 2 - 1  # random linear classifiers sign(w x + b)
acc = (((A @ w_b.T) > 0).double() == y).double().mean(dim=0)
print(f"best accuracy of 20,000 random linear classifiers: {acc.max().item():.2f}")
assert acc.max().item() == 0.75, "no linear classifier gets all four XOR points"
