# %% A confidently wrong prediction: large logit, target 0
import torch
import torch.nn.functional as F
import matplotlib.pyplot as plt

z = torch.tensor([5.0, 17.0, 50.0, 200.0], requires_grad=True)  # logits
# true label: negative
y = torch.zeros(4)
# float32: torch.sigmoid(17.) returns exactly 1.0
p = torch.sigmoid(z)
# the textbook formula
naive = -(y * torch.log(p) + (1 - y) * torch.log(1 - p))
# nn.BCELoss on probabilities
bce = F.binary_cross_entropy(p, y, reduction="none")
# nn.BCEWithLogitsLoss on logits
fused = F.binary_cross_entropy_with_logits(z, y, reduction="none")
grad_bce, = torch.autograd.grad(bce.sum(), z, retain_graph=True)
grad_fused, = torch.autograd.grad(fused.sum(), z, retain_graph=True)
# split the chain rule: d BCELoss / d p, then d p / d z
grad_p, = torch.autograd.grad(bce.sum(), p, retain_graph=True)
dp_dz = p * (1 - p)
for name, v in [("naive formula", naive), ("sigmoid + BCELoss", bce),
                ("BCEWithLogitsLoss", fused), ("d BCELoss / d p", grad_p),
                ("d sigmoid / d logit", dp_dz), ("d BCELoss / d logit", grad_bce),
                ("d BCEWithLogits / d logit", grad_fused)]:
    print(f"{name:26s}", " ".join(f"{x:9.3g}" for x in v.tolist()))
assert torch.isinf(naive[1:]).all(), "log(1 - 1) = -inf"
assert torch.allclose(bce[1:], torch.tensor(100.0)), "BCELoss clamps log at -100"
assert torch.allclose(fused.detach(), F.softplus(z).detach()), "log(1 + e^z)"
assert torch.equal(grad_bce[1:], torch.zeros(3)), "no gradient reaches the logit"
# BCELoss's own backward is (p - y) / max(p (1 - p), 1e-12): huge, not zero
expected = (p - y) / (p * (1 - p)).clamp(min=1e-12)
assert torch.allclose(grad_p, expected.detach()) and (grad_p[1:] == 1e12).all(), (
    "d BCELoss / d p is 1e12 once p rounds to 1"
)
assert torch.equal(dp_dz[1:].detach(), torch.zeros(3)), "the zero comes from sigmoid'"
assert torch.allclose(grad_fused, torch.sigmoid(z) - y), "fused gradient: p - y"

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

# %% Target 1, large negative logit: the value survives longer than the gradient
z1 = torch.tensor([-20.0, -28.0, -50.0, -88.0], requires_grad=True)
p1 = torch.sigmoid(z1)
bce1 = F.binary_cross_entropy(p1, torch.ones(4), reduction="none")
g1, = torch.autograd.grad(bce1.sum(), z1)
g1_fused, = torch.autograd.grad(
    F.binary_cross_entropy_with_logits(z1, torch.ones(4), reduction="sum"), z1)
print("logit                   ", z1.tolist())
print("p (1 - p)               ", [f"{v:.2g}" for v in (p1 * (1 - p1)).tolist()])
print("sigmoid + BCELoss value ", [round(v, 2) for v in bce1.tolist()])
print("its gradient            ", [f"{v:.2g}" for v in g1.tolist()])
print("BCEWithLogits gradient  ", [f"{v:.2g}" for v in g1_fused.tolist()])
assert torch.allclose(bce1, -z1.detach(), rtol=1e-3), "the value is still right: -z"
assert g1[2].abs() < 1e-9 and torch.allclose(g1_fused, -torch.ones(4)), (
    "at -50 the gradient has vanished; with logits it is -1"
)
assert p1[1] * (1 - p1[1]) < 1e-12 and g1[1] > -0.9, "at -28 it has started to fade"

# %% The same issue for softmax: log(softmax(z)) vs log_softmax(z)
z = torch.tensor([0.0, 200.0])
print("log(softmax):", torch.log(torch.softmax(z, 0)).tolist(),
      " log_softmax:", torch.log_softmax(z, 0).tolist())
assert torch.isinf(torch.log(torch.softmax(z, 0))[0]), "log of an underflowed 0"
assert torch.allclose(torch.log_softmax(z, 0), torch.tensor([-200.0, 0.0])), (
    "log_softmax = z - logsumexp(z) stays finite"
)
