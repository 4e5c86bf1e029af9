# %% A training step with dropout: what actually gets updated?
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
fc1, drop, fc2 = nn.Linear(5, 16), nn.Dropout(p=0.5), nn.Linear(16, 3)
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
assert logits.argmax().item() == 0 and p_correct > 0.8, \
    "the prediction is correct and confident"

# %% A correct prediction still produces a gradient: softmax(z) - onehot(y), never zero
grad_logits = logits.softmax(-1) - F.one_hot(label, 3)
assert torch.allclose(fc2.bias.grad, grad_logits[0], atol=1e-6), \
    "dL/dlogits = softmax(z) - onehot(y)"
assert grad_logits.abs().min() > 0, "no component of it is zero"
print("dL/dlogits:", grad_logits[0].detach().numpy().round(3))

# %% For this one example: dropped units get exactly zero gradient
dropped = (h_dropped[0] == 0) & (h[0] != 0)
kept = h_dropped[0] != 0
print("dropped units:", dropped.nonzero().flatten().tolist(),
      " kept:", kept.nonzero().flatten().tolist(),
      " inactive (ReLU zero):", (h[0] == 0).sum().item())
assert dropped.any() and kept.any(), "the mask dropped some units and kept others"
assert torch.all(fc1.weight.grad[dropped] == 0), "no gradient into a dropped unit"
assert torch.all(fc2.weight.grad[:, dropped] == 0), "nor out of it"
assert torch.allclose(h_dropped[0, kept], h[0, kept] / (1 - 0.5)), \
    "survivors were scaled by 1/(1-p) = 2"
print("survivor scale h_dropped / h:", (h_dropped[0, kept] / h[0, kept]).tolist())
assert torch.all(fc1.weight.grad[kept].abs().sum(1) > 0), \
    "every kept unit's incoming weights get a gradient"

# %% With a batch, each example has its own mask
# a unit's weights get no gradient only if the unit is zero in every example
fc1.zero_grad()
fc2.zero_grad()
xb, yb = torch.randn(32, 5), torch.randint(0, 3, (32,))
hb = drop(F.relu(fc1(xb)))
F.cross_entropy(fc2(hb), yb).backward()
silent_grad = fc1.weight.grad.abs().sum(1) == 0
silent_unit = (hb == 0).all(0)
print("batch of 32: units with zero incoming gradient:", silent_grad.sum().item(),
      "of 16; units dropped in some example:", (hb == 0).any(0).sum().item())
assert torch.equal(silent_grad, silent_unit), \
    "a unit's weights get zero gradient exactly when it is zero in every example"
assert (hb == 0).any(0).sum() > silent_grad.sum(), \
    "units dropped for some examples still get gradient from the others"
assert not silent_grad.any(), "in this run every unit gets gradient from some example"
