# %% Two stacked 3x3 convolutions, no activation between: one 5x5 convolution
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
C = 4
W1, W2 = torch.randn(2, C, C, 3, 3, dtype=torch.float64)  # float64: tiny rounding
x = torch.randn(8, C, 16, 16, dtype=torch.float64)

# the composed kernel: tap u of W1 and tap v of W2 land on offset u + v
K = torch.zeros(C, C, 5, 5, dtype=torch.float64)
for uy in range(3):
    for ux in range(3):
        for vy in range(3):
            for vx in range(3):
                K[:, :, uy + vy, ux + vx] += W2[:, :, vy, vx] @ W1[:, :, uy, ux]
stacked = F.conv2d(F.conv2d(x, W1), W2)  # 16 -> 14 -> 12
assert torch.allclose(stacked, F.conv2d(x, K), atol=1e-10), "two 3x3 == one 5x5 (K)"
print(f"conv3x3(conv3x3(x)) == conv5x5(x) with the composed kernel {tuple(K.shape)}")

# with zero padding in each layer, the match holds only away from the border
inner = F.conv2d(F.conv2d(x, W1, padding=1), W2, padding=1)
one = F.conv2d(x, K, padding=2)
ring = (inner - one).abs()
assert torch.allclose(inner[..., 2:-2, 2:-2], one[..., 2:-2, 2:-2], atol=1e-10), (
    "padded: equal inside"
)
print(f"padding 1 + 1 vs padding 2: inside max diff {ring[..., 2:-2, 2:-2].max():.1e},"
      f" border ring max diff {ring.max():.2f}")
assert ring.max() > 0.1, "the intermediate zero padding changes the outer ring"

# %% Parameters: 2 * 9 C^2 against 25 C^2, and 3 * 9 C^2 against 49 C^2 (VGG)
C = 64
count = lambda *layers: sum(p.numel() for m in layers for p in m.parameters())
conv = lambda k: nn.Conv2d(C, C, k, bias=False)
two, five = count(conv(3), conv(3)), count(conv(5))
three, seven = count(conv(3), conv(3), conv(3)), count(conv(7))
assert (two, five, three, seven) == (18 * C**2, 25 * C**2, 27 * C**2, 49 * C**2), (
    "k^2 C^2 weights per layer"
)
print(f"C={C}: two 3x3 {two:,} vs one 5x5 {five:,} ({five / two - 1:.0%} more); "
      f"three 3x3 {three:,} vs one 7x7 {seven:,} ({seven / three - 1:.0%} more)")


# %% With a ReLU in between, no 5x5 convolution can reproduce the stack
def best_5x5_fit(y, x):
    """Least-squares 5x5 conv (with bias) from x to y; relative residual."""
    A = F.unfold(x, 5).transpose(1, 2).reshape(-1, x.shape[1] * 25)
    A = torch.cat([A, torch.ones(len(A), 1)], 1)  # the bias column
    Y = y.flatten(2).transpose(1, 2).reshape(-1, y.shape[1])
    fit = A @ torch.linalg.lstsq(A, Y).solution
    return ((fit - Y).norm() / (Y - Y.mean(0)).norm()).item()


C = 4
x = torch.randn(32, C, 16, 16, dtype=torch.float64)
a, b = (nn.Conv2d(C, C, 3).double() for _ in range(2))
with torch.no_grad():
    linear_fit = best_5x5_fit(b(a(x)), x)
    relu_fit = best_5x5_fit(b(torch.relu(a(x))), x)
print(f"best 5x5 conv, relative residual: linear stack {linear_fit:.1e}, "
      f"stack with ReLU {relu_fit:.2f}")
assert linear_fit < 1e-8, "linear stack: a 5x5 conv fits it exactly"
assert relu_fit > 0.1, "with ReLU: a large part is out of reach of any 5x5 conv"
