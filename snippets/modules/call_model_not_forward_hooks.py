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
assert calls == ["pre-hook", "forward hook"], "model(x) runs both hooks, in order"

calls.clear()
out_forward = model.forward(x)
print("after model.forward(x):", calls)
assert calls == [], "model.forward(x) runs no hook, and says nothing"
assert torch.equal(out_call, out_forward), "same numbers either way"

# %% A forward hook can capture an intermediate activation
activations = {}
model[1].register_forward_hook(lambda m, a, out: activations.update(relu=out))
model(x)
print("captured ReLU output shape:", tuple(activations["relu"].shape))
assert torch.equal(activations["relu"], torch.relu(model[0](x))), \
    "the hook captured exactly the ReLU output"
