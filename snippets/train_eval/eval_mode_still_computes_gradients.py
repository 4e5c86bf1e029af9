# %% eval() changes how some layers compute; it does not stop autograd or learning
import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.5),
                      nn.Linear(8, 1))
x, target = torch.randn(16, 4), torch.randn(16, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)

model.eval()
before = model[0].weight.clone()
loss = nn.functional.mse_loss(model(x), target)
loss.backward()
opt.step()
print("eval mode: output requires grad:", model(x).requires_grad,
      "| first-layer grad norm:", round(model[0].weight.grad.norm().item(), 4))
assert all(p.grad is not None for p in model.parameters()), \
    "backward in eval mode fills every .grad"
assert not torch.equal(before, model[0].weight), "the optimiser still updated it"

# %% Turning gradients off is a different switch
with torch.no_grad():
    assert not model(x).requires_grad, "no_grad builds no graph"
with torch.inference_mode():
    assert model(x).is_inference(), "inference_mode makes inference tensors"
model[0].requires_grad_(False)  # freeze one layer's parameters
opt.zero_grad(set_to_none=True)  # the default since PyTorch 2.0, written out here
frozen = model[0].weight.clone()
nn.functional.mse_loss(model(x), target).backward()
opt.step()
assert model[0].weight.grad is None, "a frozen layer gets no gradient"
assert torch.equal(frozen, model[0].weight), "and the optimiser leaves it alone"
print("no_grad/inference_mode: no graph; requires_grad_(False): layer 0 stays fixed")

# %% ...and no_grad does not stop batch norm's running statistics from moving
model.train()
running = model[1].running_mean.clone()
with torch.no_grad():
    model(x)
assert not torch.equal(running, model[1].running_mean), \
    "no_grad does not stop batch norm updating its running mean in train mode"
print("train mode under no_grad still updated BN running_mean:", True)
