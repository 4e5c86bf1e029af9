# %% Transposed convolution = gradient of convolution with respect to its input
import torch
import torch.nn.functional as F

torch.manual_seed(0)
W = torch.randn(4, 3, 3, 3)  # conv: 3 -> 4 channels, 3x3 kernel
x = torch.randn(1, 3, 7, 7, requires_grad=True)
y = torch.randn(1, 4, 3, 3)  # same shape as conv2d(x, W, stride=2)

out = F.conv2d(x, W, stride=2)
(out * y).sum().backward()  # backprop y through the convolution
assert torch.allclose(x.grad, F.conv_transpose2d(y, W, stride=2), atol=1e-5), (
    "the transposed conv is the gradient of the conv with respect to its input"
)
print(f"conv2d: {tuple(x.shape)} -> {tuple(out.shape)};  "
      f"conv_transpose2d (same W): {tuple(y.shape)} -> {tuple(x.grad.shape)}")
print("conv_transpose2d(y, W) == d<conv2d(x, W), y>/dx")

# %% As matrices: the convolution is a sparse matrix C, the transposed conv is C^T
n_in = x[0].numel()
# column j of C is the convolution of the j-th basis image (this defines C)
columns = [F.conv2d(e.view(1, 3, 7, 7), W, stride=2).flatten() for e in torch.eye(n_in)]
C = torch.stack(columns, dim=1)
assert torch.allclose(C.T @ y.flatten(), F.conv_transpose2d(y, W, stride=2).flatten(),
                      atol=1e-5), "conv_transpose2d multiplies by C^T"
per_row = (C != 0).sum(1)
print(f"C is {tuple(C.shape)}; each output sees {per_row.min()} of {n_in} inputs "
      "(3 channels x 3 x 3); conv_transpose2d multiplies by C^T")
assert (per_row == 3 * 3 * 3).all(), "each output reads one 3 x 3 x 3 patch"
# the adjoint identity, with the two PyTorch functions and no matrix at all
x0 = torch.randn(1, 3, 7, 7)
lhs = (F.conv2d(x0, W, stride=2) * y).sum()
rhs = (x0 * F.conv_transpose2d(y, W, stride=2)).sum()
assert torch.allclose(lhs, rhs, atol=1e-4), "<conv(x), y> = <x, conv_transpose(y)>"
print(f"<conv2d(x), y> = {lhs:.4f},  <x, conv_transpose2d(y)> = {rhs:.4f}")

# %% It restores the shape, not the values
back = F.conv_transpose2d(out.detach(), W, stride=2)
print(f"conv_transpose2d(conv2d(x)) has x's shape {tuple(back.shape)} but differs from "
      f"x by up to {(back - x.detach()).abs().max():.1f}")
assert back.shape == x.shape and not torch.allclose(back, x.detach(), atol=1e-1), (
    "same shape, different values"
)
# no operation can undo conv2d: C has a null space, so different inputs collide
rank = torch.linalg.matrix_rank(C).item()
print(f"rank of C: {rank} < {n_in} inputs, so C has a null space")
assert rank < n_in, "conv2d has rank below its input size, so it has no inverse"
null = torch.linalg.svd(C).Vh[-1].view(1, 3, 7, 7)  # C @ null = 0
x2 = x.detach() + 3 * null
same = torch.allclose(F.conv2d(x2, W, stride=2), out.detach(), atol=1e-4)
print(f"x and x + 3 * (null-space image) differ by {3 * null.abs().max():.2f} "
      f"somewhere, yet give the same conv2d output: {same}")
assert same, "conv2d is many-to-one (147 numbers in, 36 out), so it has no inverse"
# inputs of size 7 and 8 both give 3 outputs at stride 2,
# so the transposed conv needs a hint
assert F.conv2d(torch.randn(1, 3, 8, 8), W, stride=2).shape[-1] == 3, "8 -> 3 too"
assert F.conv_transpose2d(y, W, stride=2, output_padding=1).shape[-1] == 8, (
    "output_padding=1 picks the larger size"
)
print("7x7 and 8x8 inputs both give 3x3 outputs: output_padding=1 picks 8x8")
