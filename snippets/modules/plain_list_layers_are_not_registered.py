# %% Layers in a plain Python list are invisible to the module
import torch
from torch import nn

torch.manual_seed(0)


class Stack(nn.Module):
    def __init__(self, use_module_list: bool, depth: int = 3, width: int = 16):
        super().__init__()
        layers = [nn.Linear(width, width) for _ in range(depth)]
        self.layers = nn.ModuleList(layers) if use_module_list else layers

    def forward(self, x):
        for layer in self.layers:
            x = torch.relu(layer(x))
        return x


plain, registered = Stack(use_module_list=False), Stack(use_module_list=True)
for name, m in [("plain list", plain), ("nn.ModuleList", registered)]:
    n_params = sum(p.numel() for p in m.parameters())
    print(f"{name:14s} parameters: {n_params:4d}  "
          f"state_dict keys: {len(m.state_dict())}")

assert sum(p.numel() for p in plain.parameters()) == 0
assert sum(p.numel() for p in registered.parameters()) == 3 * (16 * 16 + 16) == 816
# both forward passes work, which is why the bug is easy to miss
x = torch.randn(2, 16)
assert plain(x).shape == registered(x).shape == (2, 16)

# %% Consequence: an optimiser built from parameters() never trains the hidden layers
try:
    torch.optim.SGD(plain.parameters(), lr=0.1)
except ValueError as err:
    print("SGD(plain.parameters()) ->", err)
else:
    raise AssertionError("expected an empty parameter list")
# and .train()/.eval()/.to() do not reach them either
plain.eval()
assert not plain.training and all(layer.training for layer in plain.layers)
print("plain.eval() left the hidden layers in training mode:", plain.layers[0].training)
