# %% Transposed convolution = gradient of convolution with respect to its input
import torch
import torch.nn.functional as F

torch.manual_seed(0)
W = torch.randn(4, 3, 3, 3)  # conv: 3 -> 4 channels, 3x3 kernel
x = torch.randn(1, 3, 7, 7, requires_grad=True)
y = torch.randn(1, 4, 3, 3)  # same shape as conv2d(x, W, stride=2)

out = F.conv2d(x, W, stride=2)
(out * y).sum().backward()  # backprop y through the convolution
assert torch.allclose(x.grad, F.conv_transpose2d(y, W, stride=2), atol=1e-5)
print(f"conv2d: {tuple(x.shape)} -> {tuple(out.shape)};  "
      f"conv_transpose2d (same W): {tuple(y.shape)} -> {tuple(x.grad.shape)}")
print("conv_transpose2d(y, W) == d<conv2d(x, W), y>/dx")

# %% As matrices: the convolution is a sparse matrix C, the transposed conv is C^T
n_in = x[0].numel()
columns = [F.conv2d(e.view(1, 3, 7, 7), W, stride=2).flatten() for e in torch.eye(n_in)]
C = torch.stack(columns, dim=1)
xv = x.detach().flatten()
assert torch.allclose(C @ xv, out.detach().flatten(), atol=1e-5)
assert torch.allclose(C.T @ y.flatten(), F.conv_transpose2d(y, W, stride=2).flatten(),
                      atol=1e-5)
# <Cx, y> = <x, C^T y>
assert torch.allclose((C @ xv) @ y.flatten(), xv @ (C.T @ y.flatten()), atol=1e-4)
print(f"C is {tuple(C.shape)} with {(C != 0).float().mean():.0%} non-zeros; "
      "conv_transpose2d multiplies by C^T")

# %% It restores the shape, not the values
back = F.conv_transpose2d(out.detach(), W, stride=2)
assert back.shape == x.shape and not torch.allclose(back, x.detach(), atol=1e-1)
print("conv_transpose2d(conv2d(x)) has x's shape but is not x: "
      "an adjoint, not an inverse")
# inputs of size 7 and 8 both give 3 outputs at stride 2,
# so the transposed conv needs a hint
assert F.conv2d(torch.randn(1, 3, 8, 8), W, stride=2).shape[-1] == 3
assert F.conv_transpose2d(y, W, stride=2, output_padding=1).shape[-1] == 8
print("7x7 and 8x8 inputs both give 3x3 outputs: output_padding=1 picks 8x8")
