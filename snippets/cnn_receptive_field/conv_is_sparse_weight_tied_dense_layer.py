# %% Build the matrix of a 3x3 convolution by hand and compare it with F.conv2d
import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
C_in, C_out, H, k, p = 3, 8, 16, 3, 1  # 3x16x16 in, 8x16x16 out ('same' padding)
w = torch.randn(C_out, C_in, k, k, dtype=torch.float64)

# One row per output value (o, i, j), one column per input value (c, y, x).
# Output (o, i, j) reads input (c, i + u - p, j + v - p) with weight w[o, c, u, v].
o, i, j, c, u, v = torch.meshgrid(*(torch.arange(n) for n in (C_out, H, H, C_in, k, k)),
                                  indexing="ij")
y, x = i + u - p, j + v - p
inside = (y >= 0) & (y < H) & (x >= 0) & (x < H)  # taps on the zero padding drop out
rows = ((o * H + i) * H + j)[inside]
cols = ((c * H + y) * H + x)[inside]
M = torch.zeros(C_out * H * H, C_in * H * H, dtype=torch.float64)
M[rows, cols] = w[o, c, u, v][inside]

# PyTorch's own matrix: column n is F.conv2d applied to the n-th one-hot image
basis = torch.eye(C_in * H * H, dtype=torch.float64).reshape(-1, C_in, H, H)
M_torch = F.conv2d(basis, w, padding=p).flatten(1).T
assert torch.equal(M, M_torch), "the hand-built matrix is F.conv2d's, entry for entry"
img = torch.randn(1, C_in, H, H, dtype=torch.float64)
by_conv = F.conv2d(img, w, padding=p)
assert torch.allclose((M @ img.flatten()).reshape(1, C_out, H, H), by_conv), (
    "a convolution is a dense layer (y = Mx) with a constrained weight matrix")

entries, nonzero = M_torch.numel(), int((M_torch != 0).sum())
distinct = M_torch[M_torch != 0].unique().numel()
print(f"matrix {tuple(M.shape)}: {entries:,} entries")
print(f"locality: {nonzero:,} nonzero ({nonzero / entries:.2%}); "
      f"at most {C_in * k * k} per row")
print(f"weight sharing: {distinct} distinct values = C_out*C_in*k*k = {w.numel()}")
assert (M_torch != 0).sum(1).max() == C_in * k * k, "one C_in x k x k patch per output"
assert distinct == w.numel(), "every nonzero entry is one of the kernel's weights"

fig, ax = plt.subplots(figsize=(6, 3.4), label=(
    "The first 96 rows and 128 columns of the convolution's weight matrix, zeros "
    "left blank: the nonzero entries form three diagonal bands, one per kernel row, "
    "each three entries wide, and each diagonal keeps one colour because the same "
    "weight is reused at every position"))
part = M[:96, :128].clone()
part[part == 0] = float("nan")  # blank, not a colour
ax.imshow(part, cmap="coolwarm", interpolation="nearest")
ax.set(xlabel="input index (channel 0, image rows 0-7)",
       ylabel="output index (channel 0, rows 0-5)")
fig.tight_layout()

# %% Parameters of a conv layer and of a dense layer with the same input and output
def count(layer):
    return sum(t.numel() for t in layer.parameters())


for c_in, c_out, side in [(3, 16, 32), (3, 64, 224)]:
    n_in, n_out = c_in * side * side, c_out * side * side
    conv = nn.Conv2d(c_in, c_out, 3, padding=1, device="meta")  # no memory used
    fc = nn.Linear(n_in, n_out, device="meta")
    assert count(conv) == c_out * (c_in * 9 + 1), "conv: C_out (C_in k^2 + 1)"
    assert count(fc) == (n_in + 1) * n_out, "dense: (C_in H W + 1) C_out H W"
    print(f"{c_in}x{side}x{side} -> {c_out}x{side}x{side}: conv {count(conv):,}, "
          f"dense {count(fc):,} parameters ({count(fc) / count(conv):.1e} times more)")
print(f"the last dense layer in float32: {count(fc) * 4 / 1e12:.2f} TB of weights")
