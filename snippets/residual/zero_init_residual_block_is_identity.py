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
