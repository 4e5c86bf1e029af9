# %% Zero biases and a zero last layer are fine: random earlier weights break symmetry
import torch
from torch import nn

torch.manual_seed(0)
X = torch.randn(128, 2)
y = torch.sin(2 * X[:, :1]) * X[:, 1:]
net = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1))
# zero biases: the usual choice
nn.init.zeros_(net[0].bias)
# zero last layer: output is 0 at init
nn.init.zeros_(net[2].weight)
nn.init.zeros_(net[2].bias)
opt = torch.optim.SGD(net.parameters(), lr=0.3)
first_layer_grad_norms = []
for step in range(300):
    opt.zero_grad()
    loss = nn.functional.mse_loss(net(X), y)
    loss.backward()
    first_layer_grad_norms.append(net[0].weight.grad.norm().item())
    if step == 0:
        # each output weight gets its own gradient
        assert net[2].weight.grad.abs().min() > 0
        start = loss.item()
    opt.step()
print(f"first-layer gradient norm at step 0: {first_layer_grad_norms[0]:.4f}, "
      f"at step 1: {first_layer_grad_norms[1]:.4f}")
# it only waits one step
assert first_layer_grad_norms[0] == 0 and first_layer_grad_norms[1] > 0
# units stay distinct
assert torch.unique(net[0].weight.round(decimals=4), dim=0).shape[0] == 16
print(f"loss: {start:.3f} -> {loss.item():.3f}")
assert loss.item() < 0.5 * start

# %% A residual branch with a zero last layer is the identity at init, and still learns
class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.a, self.b = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)
        nn.init.zeros_(self.b.weight)
        nn.init.zeros_(self.b.bias)
    def forward(self, x):
        return x + self.b(torch.relu(self.a(x)))

block, x = Block(8), torch.randn(32, 8)
assert torch.equal(block(x), x), "identity at initialisation"
block(x).pow(2).sum().backward()
print(f"gradient norm of the zero-initialised layer: {block.b.weight.grad.norm():.2f}")
assert block.b.weight.grad.norm() > 0
