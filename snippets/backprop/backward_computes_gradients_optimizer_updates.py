# %% backward() computes gradients; it does not change a single weight
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 1))
x, y = torch.randn(16, 8), torch.randn(16, 1)
before = [p.detach().clone() for p in model.parameters()]
nn.functional.mse_loss(model(x), y).backward()
assert all(torch.equal(b, p) for b, p in zip(before, model.parameters())), (
    "weights unchanged"
)
assert all(p.grad is not None for p in model.parameters()), "every .grad is set"
print("after backward(): weights unchanged, every parameter has a .grad")

# %% The same gradients, two optimisers, two different updates
grads = [p.grad.clone() for p in model.parameters()]
def restore():
    with torch.no_grad():
        for p, b in zip(model.parameters(), before):
            p.copy_(b)

updates = {}
for opt_cls in (torch.optim.SGD, torch.optim.Adam):
    opt = opt_cls(model.parameters(), lr=0.01)
    opt.step()                                   # uses the .grad left by backward()
    updates[opt_cls.__name__] = model[0].weight.detach() - before[0]
    restore()
assert torch.allclose(updates["SGD"], -0.01 * grads[0], atol=1e-7), "SGD: -lr * g"
assert torch.allclose(updates["Adam"], -0.01 * grads[0].sign(), atol=1e-4), (
    "first Adam step: about -lr * sign(g)"
)
for name, u in updates.items():
    print(f"{name:4s} update of three first-layer weights:",
          " ".join(f"{v:+.5f}" for v in u[0, :3].tolist()))

# %% Gradients accumulate until you zero them
model.zero_grad()
for _ in range(2):
    nn.functional.mse_loss(model(x), y).backward()
assert torch.allclose(model[0].weight.grad, 2 * grads[0], atol=1e-6), (
    "a second backward() adds to .grad"
)
print("two backward() calls without zero_grad(): .grad is doubled")

# %% The backward pass costs about twice the forward pass (matmul FLOPs)
def matmul_flops(input_needs_grad):
    """FlopCounterMode counts matmuls only, not ReLU or the loss."""
    x.requires_grad_(input_needs_grad)
    with FlopCounterMode(display=False) as fwd:
        loss = nn.functional.mse_loss(model(x), y)
    with FlopCounterMode(display=False) as bwd:
        loss.backward()
    return fwd.get_total_flops(), bwd.get_total_flops()

# from the shapes: 2 FLOPs per multiply-add, layers 8 -> 32 -> 1, batch of 16
forward = 2 * 16 * (8 * 32 + 32 * 1)
first_layer_dx = 2 * 16 * 8 * 32      # d loss / d x, the first layer's input
for needs_dx in (True, False):
    f, b = matmul_flops(needs_dx)
    print(f"x.requires_grad={needs_dx!s:5}: forward {f}, backward {b}, "
          f"ratio {b / f:.2f}")
    assert f == forward, "forward: one matmul per layer"
    expected = 2 * forward - (0 if needs_dx else first_layer_dx)
    assert b == expected, "backward: d/dW and d/dinput per layer, minus unused dx"
# the first layer's forward matmul is as large as its dx: most of this small network
print(f"first layer's share of the forward FLOPs: {first_layer_dx / forward:.0%}")
