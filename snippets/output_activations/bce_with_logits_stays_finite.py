# %% A confidently wrong prediction: large logit, target 0
import torch
import torch.nn.functional as F
import matplotlib.pyplot as plt

z = torch.tensor([5.0, 17.0, 50.0, 200.0], requires_grad=True)  # logits
# true label: negative
y = torch.zeros(4)
# float32: sigmoid(17) rounds to 1.0
p = torch.sigmoid(z)
# the textbook formula
naive = -(y * torch.log(p) + (1 - y) * torch.log(1 - p))
# nn.BCELoss on probabilities
bce = F.binary_cross_entropy(p, y, reduction="none")
# nn.BCEWithLogitsLoss on logits
fused = F.binary_cross_entropy_with_logits(z, y, reduction="none")
grad_bce, = torch.autograd.grad(bce.sum(), z, retain_graph=True)
grad_fused, = torch.autograd.grad(fused.sum(), z)
for name, v in [("naive formula", naive), ("sigmoid + BCELoss", bce),
                ("BCEWithLogitsLoss", fused), ("d BCELoss / d logit", grad_bce),
                ("d BCEWithLogits / d logit", grad_fused)]:
    print(f"{name:26s}", " ".join(f"{x:8.3f}" for x in v.tolist()))
assert torch.isinf(naive[1:]).all()                                # log(1 - 1) = -inf
# BCELoss clamps log at -100: wrong value
assert torch.allclose(bce[1:], torch.tensor(100.0))
# exact: log(1 + e^z) = 17, 50, 200
assert torch.allclose(fused.detach(), F.softplus(z).detach())
# and no gradient to fix the mistake
assert torch.equal(grad_bce[1:], torch.zeros(3))
# fused gradient: p - y, never stuck
assert torch.allclose(grad_fused, torch.sigmoid(z) - y)

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "For target 0, BCEWithLogitsLoss grows linearly with the logit, sigmoid plus "
    "BCELoss jumps to a constant 100 once the sigmoid rounds to 1 near a logit of 17, "
    "and the naive formula becomes infinite there"
))
s = torch.linspace(0, 150, 301)
zeros = torch.zeros_like(s)
ax.plot(s, F.binary_cross_entropy_with_logits(s, zeros, reduction="none"),
        label="BCEWithLogitsLoss")
ax.plot(s, F.binary_cross_entropy(torch.sigmoid(s), zeros, reduction="none"), "--",
        label="sigmoid + BCELoss")
naive_curve = -torch.log(1 - torch.sigmoid(s))
finite = torch.isfinite(naive_curve)
ax.plot(s[finite], naive_curve[finite], ":", lw=3, label="naive formula (inf beyond)")
ax.set(xlabel="logit (true label 0)", ylabel="loss")
ax.legend()
fig.tight_layout()

# %% The same issue for softmax: log(softmax(z)) vs log_softmax(z)
z = torch.tensor([0.0, 200.0])
print("log(softmax):", torch.log(torch.softmax(z, 0)).tolist(),
      " log_softmax:", torch.log_softmax(z, 0).tolist())
assert torch.isinf(torch.log(torch.softmax(z, 0))[0])
assert torch.isfinite(torch.log_softmax(z, 0)).all()
