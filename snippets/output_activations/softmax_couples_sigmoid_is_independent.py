# %% Softmax couples the outputs; sigmoid treats each one on its own
import torch
import torch.nn.functional as F
import matplotlib.pyplot as plt

torch.manual_seed(0)
z = torch.randn(4, 3)                                   # logits: 4 samples, 3 classes
bumped = z.clone()
# raise only the logit of class 0
bumped[:, 0] += 2.0
# a distribution per row
assert torch.allclose(z.softmax(1).sum(1), torch.ones(4)), "softmax rows sum to 1"
assert (bumped.softmax(1)[:, 1:] < z.softmax(1)[:, 1:]).all(), (
    "raising one logit lowers every other softmax output"
)
# Jacobians by autograd against the closed forms
row = z[0]
p, q = row.softmax(0), row.sigmoid()
J_soft = torch.autograd.functional.jacobian(lambda v: v.softmax(0), row)
J_sig = torch.autograd.functional.jacobian(torch.sigmoid, row)
assert torch.allclose(J_soft, torch.diag(p) - torch.outer(p, p)), "diag(p) - p p^T"
assert torch.allclose(J_sig, torch.diag(q * (1 - q))), "sigmoid: diagonal Jacobian"
assert (J_soft - torch.diag(J_soft.diag()) < 0).sum() == 6, "coupled: off-diagonal < 0"
assert torch.allclose((z + 5).softmax(1), z.softmax(1)), "only differences matter"
two_class = torch.stack([z[:, 0], torch.zeros(4)], dim=1).softmax(1)[:, 0]
assert torch.allclose(two_class, z[:, 0].sigmoid()), "sigmoid = two-class softmax"
print("softmax Jacobian of one row:\n", J_soft.numpy().round(3))
print("softmax row sums:", [round(v, 4) for v in z.softmax(1).sum(1).tolist()])
print("sigmoid row sums:", [round(v, 4) for v in z.sigmoid().sum(1).tolist()])

fig, axes = plt.subplots(1, 2, figsize=(6, 3.5), sharey=True, label=(
    "As the logit of class 0 rises, its softmax probability takes mass from classes 1 "
    "and 2, while the sigmoid outputs of classes 1 and 2 stay flat"
))
s = torch.linspace(-6, 6, 121)
sweep = torch.stack([s, torch.full_like(s, 1.0), torch.full_like(s, -1.0)], dim=1)
for ax, probs, title in zip(axes, (sweep.softmax(1), sweep.sigmoid()),
                            ("softmax", "sigmoid")):
    for k in range(3):
        ax.plot(s, probs[:, k], label=f"class {k}")
    ax.set_title(title)
axes[0].set_ylabel("output probability")
fig.supxlabel("logit of class 0 (logits of classes 1 and 2 fixed at +1 and -1)",
              fontsize=10)
axes[1].legend()
fig.tight_layout()

# %% A multi-label target: the image contains a cat AND a dog, but no car
target = torch.tensor([[1.0, 1.0, 0.0]])
start = torch.randn(1, 3)  # random logits, so cat and dog do not start equal
print("softmax at the start: p(cat, dog, car) =",
      [round(v, 3) for v in start.softmax(1)[0].tolist()])
fits = {}
for head in ("sigmoid + BCEWithLogitsLoss", "softmax + CrossEntropyLoss"):
    logits = start.clone().requires_grad_()
    opt = torch.optim.SGD([logits], lr=1.0)
    for _ in range(200):
        opt.zero_grad()
        if head.startswith("sigmoid"):
            loss = F.binary_cross_entropy_with_logits(logits, target)
        else:
            # best softmax can do: share the mass
            loss = F.cross_entropy(logits, target / target.sum())
        loss.backward()
        opt.step()
    fits[head] = (logits.detach().sigmoid() if head.startswith("sigmoid")
                  else logits.detach().softmax(1))
    print(f"{head}: p(cat, dog, car) = "
          f"{[round(v, 3) for v in fits[head][0].tolist()]}")
assert (fits["sigmoid + BCEWithLogitsLoss"][0, :2] > 0.9).all(), "both labels on"
# the cross-entropy optimum for a soft target is the target itself: 1/k on each label
assert torch.allclose(fits["softmax + CrossEntropyLoss"], target / target.sum(),
                      atol=0.01), "softmax reaches the 1/k optimum, 0.5 each"
