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

# what the layers really hold, counted by walking the list itself
held = sum(p.numel() for layer in plain.layers for p in layer.parameters())
assert sum(p.numel() for p in plain.parameters()) == 0, "the plain list is invisible"
assert sum(p.numel() for p in registered.parameters()) == held == 816, \
    "nn.ModuleList registers every parameter of its layers"
assert len(plain.state_dict()) == 0, "nothing in the plain list would be saved"
assert len(registered.state_dict()) == 2 * len(registered.layers), \
    "a weight and a bias per registered Linear are saved"
# both forward passes work, which is why the bug is easy to miss
x = torch.randn(2, 16)
assert plain(x).shape == registered(x).shape == (2, 16), "both models run"

# %% Consequence: an optimiser built from parameters() never trains the hidden layers
try:
    torch.optim.SGD(plain.parameters(), lr=0.1)
except ValueError as err:
    print("SGD(plain.parameters()) ->", err)
else:
    raise AssertionError("expected an empty parameter list")

# %% .eval() and .to() do not reach them either
plain.eval()
registered.eval()
assert not plain.training and all(layer.training for layer in plain.layers), \
    "eval() did not reach the layers in the plain list"
assert not any(layer.training for layer in registered.layers), \
    "eval() reached the layers in the nn.ModuleList"
print("plain.eval() left the hidden layers in training mode:", plain.layers[0].training)
plain.to(torch.float64)
registered.to(torch.float64)
print("after .to(float64): plain list weight", plain.layers[0].weight.dtype,
      "| ModuleList weight", registered.layers[0].weight.dtype)
assert plain.layers[0].weight.dtype == torch.float32, ".to() did not reach the list"
assert registered.layers[0].weight.dtype == torch.float64, ".to() moved the ModuleList"
