# %% A zero last layer is fine on top of a random layer, and stuck on a constant one
import torch
from torch import nn

torch.manual_seed(0)
X = torch.randn(128, 2)
y = torch.sin(2 * X[:, :1]) * X[:, 1:]

def train(first_layer):
    net = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1))
    if first_layer == "constant":
        nn.init.constant_(net[0].weight, 0.3)
    if first_layer != "default":
        nn.init.zeros_(net[0].bias)  # zero biases: the usual choice
        nn.init.zeros_(net[2].weight)  # zero last layer: the output is 0 at init
        nn.init.zeros_(net[2].bias)
    opt = torch.optim.SGD(net.parameters(), lr=0.3)
    losses, first_layer_grad_norms = [], []
    for _ in range(300):
        opt.zero_grad()
        loss = nn.functional.mse_loss(net(X), y)
        loss.backward()
        losses.append(loss.item())
        first_layer_grad_norms.append(net[0].weight.grad.norm().item())
        opt.step()
    # exact comparisons: distinct rows of layer 1, distinct output weights of layer 2
    distinct = (torch.unique(net[0].weight, dim=0).shape[0],
                torch.unique(net[2].weight).numel())
    return losses, first_layer_grad_norms, distinct

labels = {"random": "random layer 1, zero layer 2",
          "constant": "constant layer 1, zero layer 2",
          "default": "PyTorch default, no zeros"}
runs = {name: train(name) for name in labels}
for name, (losses, _, distinct) in runs.items():
    print(f"{labels[name]:30s}: loss {losses[0]:.3f} -> {losses[-1]:.3f}; distinct "
          f"after training: units {distinct[0]}, output weights {distinct[1]}")
losses, grad_norms, distinct = runs["random"]
print(f"random first layer, its gradient norm at step 0: {grad_norms[0]:.4f}, "
      f"at step 1: {grad_norms[1]:.4f}")
assert grad_norms[0] == 0 and grad_norms[1] > 0, "it waits exactly one step"
# the 16 output weights all start at 0: they separate only if symmetry is broken
assert distinct[1] == 16, "random below zero: the equal output weights separate"
assert losses[-1] < 0.5 * losses[0], "random below zero: trains"
assert losses[-1] < 2 * runs["default"][0][-1], "...close to default init"
stuck_losses, _, stuck_distinct = runs["constant"]
assert stuck_distinct == (1, 1), "constant below zero: symmetric on both sides"
assert stuck_losses[-1] > 0.97 * y.var(unbiased=False), "...no better than the mean"

# %% A residual branch with a zero last layer starts as the identity and still learns
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
# by hand: upstream gradient 2 x (the output is x), times the branch's hidden layer
by_hand = 2 * x.T @ torch.relu(block.a(x))
print(f"gradient norm of the zero-initialised layer: {block.b.weight.grad.norm():.2f}")
assert torch.allclose(block.b.weight.grad, by_hand.detach(), atol=1e-4), (
    "the zero layer's gradient = upstream x its non-zero input")
assert block.b.weight.grad.norm() > 0, "the zero layer still receives a gradient"

# %% Zero both layers of the branch: its weights get no gradient, only the last bias
both = Block(8)
nn.init.zeros_(both.a.weight)
nn.init.zeros_(both.a.bias)
both(x).pow(2).sum().backward()
stuck = [name for name, p in both.named_parameters() if p.grad.abs().sum() > 0]
print("both branch layers zero, parameters with a gradient:", stuck)
assert stuck == ["b.bias"], "two zero layers: weights get no gradient, only b's bias"
