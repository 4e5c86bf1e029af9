# %% Weight normalisation: w = g * v / ||v||, one g per output row (dim=0)
import warnings

import torch
from torch import nn
from torch.nn.utils.parametrizations import weight_norm

torch.manual_seed(0)
layer = nn.Linear(5, 3)
w_before = layer.weight.detach().clone()
layer = weight_norm(layer)  # registers g (original0) and v (original1)
g = layer.parametrizations.weight.original0
v = layer.parametrizations.weight.original1
print("g:", tuple(g.shape), " v:", tuple(v.shape), " w:", tuple(layer.weight.shape))
assert torch.allclose(layer.weight, w_before), "at the start, the weight is unchanged"
assert torch.allclose(g.flatten(), w_before.norm(dim=1)), "g starts as each row's norm"

with torch.no_grad():  # now pick a length and a direction independently
    g.copy_(torch.tensor([[0.5], [2.0], [3.0]]))
    v.mul_(torch.tensor([[10.0], [0.1], [1.0]]))  # rescaling v changes nothing
expected = g * v / v.norm(dim=1, keepdim=True)
assert torch.allclose(layer.weight, expected), "weight = g * v / ||v|| per row"
print("row norms of the weight:", layer.weight.norm(dim=1).detach().numpy().round(4),
      " g:", g.flatten().detach().numpy())
assert torch.allclose(layer.weight.norm(dim=1), g.flatten()), "||w_row|| = g"
assert torch.allclose(layer.weight / layer.weight.norm(dim=1, keepdim=True),
                      w_before / w_before.norm(dim=1, keepdim=True), atol=1e-6), \
    "rescaling v left the direction as it was"

# %% The gradients: Salimans & Kingma's closed form against autograd
x, target = torch.randn(16, 5), torch.randn(16, 3)
(layer(x) - target).pow(2).mean().backward()
w = expected.detach().requires_grad_()  # the same weight as a plain tensor
(x @ w.T + layer.bias - target).pow(2).mean().backward()
grad_w, v_norm = w.grad, v.norm(dim=1, keepdim=True)
grad_g = (grad_w * v).sum(dim=1, keepdim=True) / v_norm
grad_v = g / v_norm * grad_w - g * grad_g / v_norm**2 * v
assert torch.allclose(g.grad, grad_g, atol=1e-6), "dL/dg = dL/dw . v / ||v||"
assert torch.allclose(v.grad, grad_v, atol=1e-6), "dL/dv: closed form"
cos = (v.grad * v).sum(dim=1) / (v.grad.norm(dim=1) * v_norm.flatten())
print(f"largest |cosine| between a row of v and its gradient: {cos.abs().max():.1e}")
assert cos.abs().max() < 1e-5, "dL/dv is orthogonal to v"

# %% The older torch.nn.utils.weight_norm still works, with a FutureWarning
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    torch.nn.utils.weight_norm(nn.Linear(5, 3))
messages = [f"{warn.category.__name__}: {warn.message}" for warn in caught]
print(messages[0])
assert any("deprecated" in m and m.startswith("FutureWarning") for m in messages), \
    "torch.nn.utils.weight_norm is deprecated"

# %% dim=0 means dimension 0 of the weight: for ConvTranspose2d, the input channels
deconv = weight_norm(nn.ConvTranspose2d(3, 5, kernel_size=3))  # weight: (in, out, k, k)
g_default = deconv.parametrizations.weight.original0
g_out = weight_norm(nn.ConvTranspose2d(3, 5, kernel_size=3), dim=1)
g_out = g_out.parametrizations.weight.original0
print("ConvTranspose2d(3 -> 5): g with dim=0", tuple(g_default.shape),
      " with dim=1", tuple(g_out.shape))
assert g_default.numel() == 3 and g_out.numel() == 5, "one g per slice along dim"
