# %% Inverted dropout by hand: forward keeps the mask, backward reuses it
import torch
from torch import nn

torch.manual_seed(0)


class InvertedDropout(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, keep, p):  # keep: boolean mask, True where the unit survives
        ctx.save_for_backward(keep)  # one byte per element is all backward needs
        ctx.p = p
        return x * keep / (1 - p)  # 0 where dropped, x/(1-p) where kept

    @staticmethod
    def backward(ctx, grad_out):
        (keep,) = ctx.saved_tensors
        # same mask, same scale; no grad for keep or p
        return grad_out * keep / (1 - ctx.p), None, None


def dropout(x, p, training=True):
    if not training or p == 0:
        return x  # identity at evaluation time
    keep = torch.rand_like(x) >= p  # each unit survives with probability 1 - p
    return InvertedDropout.apply(x, keep, p)


# %% Same mask as nn.Dropout (recovered from its output): compare values and gradients
p = 0.3
x_ref = torch.randn(8, 16, requires_grad=True)
x_own = x_ref.detach().clone().requires_grad_()
upstream = torch.randn(8, 16)  # an arbitrary gradient arriving from the layers above
y_ref = nn.Dropout(p)(x_ref)
keep = y_ref.detach() != 0  # x has no exact zeros, so a zero output means "dropped"
assert (x_ref != 0).all(), "no exact zeros in x, so the mask can be read off y"
y_own = InvertedDropout.apply(x_own, keep, p)
y_ref.backward(upstream)
y_own.backward(upstream)

assert torch.allclose(y_own, y_ref), "forward differs from nn.Dropout"
assert torch.allclose(x_own.grad, x_ref.grad), "backward differs from nn.Dropout"
assert (x_own.grad[~keep] == 0).all(), "dropped units must receive zero gradient"
assert torch.allclose(x_own.grad[keep], upstream[keep] / (1 - p)), (
    "kept units: gradient scaled by 1/(1-p)"
)
x64 = torch.randn(4, 5, dtype=torch.float64, requires_grad=True)
mask64 = torch.rand(4, 5) >= p
own_fn = lambda t: InvertedDropout.apply(t, mask64, p)
assert torch.autograd.gradcheck(own_fn, (x64,)), (
    "the hand-written backward matches finite differences"
)
print(f"dropped fraction: {(~keep).float().mean():.3f} (p = {p})")
print("forward and backward match nn.Dropout; "
      "gradcheck confirms backward is the true derivative")

# %% "Dropped units are ignored in backward" holds per example, not per weight
layer = nn.Linear(4, 6)
for batch in (1, 32):
    layer.zero_grad()
    h = dropout(layer(torch.randn(batch, 4)), p=0.5)
    h.sum().backward()
    no_grad_rows = layer.weight.grad.abs().sum(dim=1) == 0  # one row per hidden unit
    print(f"batch {batch:2d}: hidden units whose incoming weights got no gradient = "
          f"{no_grad_rows.sum().item()} of 6")
    if batch == 1:
        assert no_grad_rows.any() and torch.equal(no_grad_rows, h[0] == 0), (
            "one example: exactly the dropped units get no weight gradient"
        )
    else:
        assert not no_grad_rows.any(), (
            "a batch: every unit is kept for some example, so all its weights learn"
        )
