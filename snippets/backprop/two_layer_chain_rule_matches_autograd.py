# %% Gradients of a two-layer network, by hand with the chain rule
import torch
import matplotlib.pyplot as plt

torch.manual_seed(0)
X = torch.randn(64, 3)                          # 64 samples, 3 features
y = torch.sin(X.sum(dim=1, keepdim=True))       # a smooth target to regress
params = [torch.randn(3, 16) * 0.5, torch.zeros(16),
          torch.randn(16, 1) * 0.25, torch.zeros(1)]

def loss_and_manual_grads(W1, b1, W2, b2):
    # forward pass, keeping what backward needs
    z = X @ W1 + b1
    h = torch.tanh(z)
    out = h @ W2 + b2
    loss = ((out - y) ** 2).mean()
    d_out = 2 * (out - y) / len(X)              # dL/dout
    dW2, db2 = h.T @ d_out, d_out.sum(0)        # second layer: out = h W2 + b2
    # through W2, then through tanh' = 1 - tanh^2
    d_z = (d_out @ W2.T) * (1 - h ** 2)
    dW1, db1 = X.T @ d_z, d_z.sum(0)            # first layer: z = X W1 + b1
    return loss, [dW1, db1, dW2, db2]

loss, manual = loss_and_manual_grads(*params)
leaves = [p.clone().requires_grad_() for p in params]
W1, b1, W2, b2 = leaves
# autograd does the same
((torch.tanh(X @ W1 + b1) @ W2 + b2 - y) ** 2).mean().backward()
for name, g, p in zip(["W1", "b1", "W2", "b2"], manual, leaves):
    assert torch.allclose(g, p.grad, atol=1e-6), f"hand-derived d loss/d {name}"
    print(f"d loss/d {name}: max |manual - autograd| = {(g - p.grad).abs().max():.1e}")

# %% Gradient descent driven by the hand-computed gradients
def descend(grad_fn, params, steps=300, lr=0.2):
    losses = []
    for _ in range(steps):
        loss, grads = grad_fn(params)
        losses.append(loss.item())
        # the update: not part of backprop
        params = [p - lr * g for p, g in zip(params, grads)]
    return losses

def autograd_grads(params):
    leaves = [p.clone().requires_grad_() for p in params]
    W1, b1, W2, b2 = leaves
    loss = ((torch.tanh(X @ W1 + b1) @ W2 + b2 - y) ** 2).mean()
    return loss.detach(), torch.autograd.grad(loss, leaves)

losses = descend(lambda ps: loss_and_manual_grads(*ps), params)
reference = descend(autograd_grads, params)
gap = max(abs(a - b) for a, b in zip(losses, reference))
print(f"loss at step 0: {losses[0]:.3f}, at step 299: {losses[-1]:.3f}")
print(f"largest gap to the same descent driven by autograd: {gap:.1e}")
assert gap < 1e-5, "hand-derived and autograd descents follow the same path"
assert losses[-1] < 0.1 * losses[0], "in this run, the loss falls more than 10x"

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Mean squared error falls steadily over 300 gradient-descent steps that use the "
    "hand-derived gradients"
))
ax.plot(losses)
ax.set_xlabel("step")
ax.set_ylabel("training loss (MSE)")
ax.set_yscale("log")
fig.tight_layout()
