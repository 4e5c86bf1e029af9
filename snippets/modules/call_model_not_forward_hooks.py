# %% model(x) goes through __call__, which runs hooks; model.forward(x) skips them
import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
calls = []
model.register_forward_pre_hook(lambda mod, args: calls.append("pre-hook"))
model.register_forward_hook(lambda mod, args, out: calls.append("forward hook"))

x = torch.randn(3, 4)
out_call = model(x)
print("after model(x):        ", calls)
assert calls == ["pre-hook", "forward hook"]

calls.clear()
out_forward = model.forward(x)
print("after model.forward(x):", calls)
assert calls == []  # the hooks silently did not run
assert torch.equal(out_call, out_forward)  # same maths, missing machinery

# %% Hooks are how feature extraction and debugging tools see inside a model
activations = {}
model[1].register_forward_hook(lambda m, a, out: activations.update(relu=out))
model(x)
print("captured ReLU output shape:", tuple(activations["relu"].shape))
assert activations["relu"].shape == (3, 8) and (activations["relu"] >= 0).all()
