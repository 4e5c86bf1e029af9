# %% A pre-activation residual block whose last layer starts at zero
import torch
import torch.nn as nn

torch.manual_seed(0)


class ResidualBlock(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.branch = nn.Sequential(
            nn.BatchNorm1d(width), nn.ReLU(), nn.Linear(width, width),
            nn.BatchNorm1d(width), nn.ReLU(), nn.Linear(width, width),
        )
        # last layer of the branch starts at zero
        nn.init.zeros_(self.branch[-1].weight)
        nn.init.zeros_(self.branch[-1].bias)

    def forward(self, x):
        return x + self.branch(x)  # identity shortcut: no parameters


deep = nn.Sequential(*[ResidualBlock(16) for _ in range(50)])  # 100 linear layers
x = torch.randn(64, 16, requires_grad=True)
y = deep(x)
assert torch.equal(y, x), (
    "zero-initialised branches make the whole stack exactly the identity"
)
print("50 blocks: deep(x) == x exactly:", torch.equal(y, x))

upstream = torch.randn_like(y)
y.backward(upstream, retain_graph=True)
assert torch.equal(x.grad, upstream), "the gradient reaches the input unchanged"
print("gradient at the input == upstream gradient:", torch.equal(x.grad, upstream))

# %% It is not stuck: the zeroed layer gets a gradient, so the branch starts learning
deep.zero_grad()
loss = (y - 2 * x).pow(2).mean()  # any target that is not the identity
loss.backward()
block = deep[0]
last, first = block.branch[-1].weight.grad, block.branch[2].weight.grad
print(f"grad norm, zeroed last layer: {last.norm():.4f}")
print(f"grad norm, first layer of branch: {first.norm():.4f}")
assert last.norm() > 0, "the zero layer receives a non-zero gradient"
assert torch.count_nonzero(first) == 0, (
    "layers before it wait one step (their downstream weight is 0)"
)

# %% The torchvision variant: zero the scale (gamma) of the branch's last BatchNorm
branch = nn.Sequential(nn.Linear(16, 16), nn.BatchNorm1d(16))
nn.init.zeros_(branch[1].weight)  # what zero_init_residual=True does to each block
x = torch.randn(64, 16)
out = x + branch(x)
assert torch.equal(out, x), "gamma = 0: the block is exactly the identity"
g = torch.randn_like(out)  # any upstream gradient
out.backward(g)
z = branch[0](x).detach()  # what BatchNorm normalises
z_hat = (z - z.mean(0)) / (z.var(0, unbiased=False) + branch[1].eps).sqrt()
by_hand = (g * z_hat).sum(0)  # dL/dgamma = sum over the batch of dL/dy * z_hat
print(f"grad norm of gamma: autograd {branch[1].weight.grad.norm():.4f}, "
      f"closed form {by_hand.norm():.4f}")
assert torch.allclose(branch[1].weight.grad, by_hand, atol=1e-5), (
    "dL/dgamma = sum of dL/dy * z_hat, which does not depend on gamma"
)
assert branch[1].weight.grad.norm() > 0, "so gamma moves on the first step"
assert torch.count_nonzero(branch[0].weight.grad) == 0, (
    "the layer before it waits one step, as above"
)
