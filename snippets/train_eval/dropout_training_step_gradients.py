# %% A training step with dropout: what actually gets updated?
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
fc1, drop, fc2 = nn.Linear(5, 6), nn.Dropout(p=0.5), nn.Linear(6, 3)
x, label = torch.randn(1, 5), torch.tensor([0])
with torch.no_grad():  # make class 0 the confident, *correct* prediction
    fc2.bias.copy_(torch.tensor([3.0, 0.0, 0.0]))

h = F.relu(fc1(x))
h_dropped = drop(h)  # train mode by default
logits = fc2(h_dropped)
loss = F.cross_entropy(logits, label)
loss.backward()
p_correct = logits.softmax(-1)[0, 0].item()
print(f"predicted class: {logits.argmax().item()} (label 0), "
      f"p(correct) = {p_correct:.3f}, loss = {loss.item():.3f}")
assert logits.argmax().item() == 0 and loss.item() > 0

# %% A correct prediction still produces a gradient: softmax(z) - onehot(y), never zero
grad_logits = logits.softmax(-1) - F.one_hot(label, 3)
assert torch.allclose(fc2.bias.grad, grad_logits[0], atol=1e-6)
print("dL/dlogits:", grad_logits[0].detach().numpy().round(3))

# %% Dropped units get exactly zero gradient this step; survivors were scaled by 1/(1-p)
dropped = (h_dropped[0] == 0) & (h[0] != 0)
kept = h_dropped[0] != 0
print("dropped units:", dropped.nonzero().flatten().tolist(),
      " kept:", kept.nonzero().flatten().tolist())
assert dropped.any() and kept.any()
# no learning signal into a dropped unit
assert torch.all(fc1.weight.grad[dropped] == 0)
assert torch.all(fc2.weight.grad[:, dropped] == 0)  # nor out of it
assert torch.allclose(h_dropped[0, kept], h[0, kept] / (1 - 0.5))
assert fc1.weight.grad[kept].abs().sum() > 0
