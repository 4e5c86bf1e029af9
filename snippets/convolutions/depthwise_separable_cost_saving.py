# %% Depthwise-separable conv = standard conv with a factorised (rank-1 per pair) kernel
import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)
C_in, C_out, k = 8, 16, 3
# one k x k filter per channel
depthwise = nn.Conv2d(C_in, C_in, k, padding=1, groups=C_in, bias=False)
pointwise = nn.Conv2d(C_in, C_out, 1, bias=False)  # mixes channels
x = torch.randn(1, C_in, 12, 12)
# the equivalent full kernel: W[o, i] = P[o, i] * D[i]
W = pointwise.weight[:, :, 0, 0, None, None] * depthwise.weight[:, 0][None]
assert torch.allclose(pointwise(depthwise(x)), F.conv2d(x, W, padding=1), atol=1e-5), (
    "depthwise then pointwise equals one conv2d with kernel P[o, i] * D[i]"
)
print("depthwise -> pointwise == one standard conv with kernel of shape "
      f"{tuple(W.shape)}")
# the 1x1 conv is nn.Linear over channels, applied at every pixel
linear = nn.Linear(C_in, C_out, bias=False)
with torch.no_grad():
    linear.weight.copy_(pointwise.weight[:, :, 0, 0])
rows = x.permute(0, 2, 3, 1).reshape(-1, C_in)  # channels last, then (N*H*W, C)
target = pointwise(x).permute(0, 2, 3, 1).reshape(-1, C_out)
assert torch.allclose(linear(rows), target, atol=1e-5), "1x1 conv == nn.Linear"
wrong = linear(x.reshape(-1, C_in))  # reshape without permute mixes pixels
assert not torch.allclose(wrong, target, atol=1e-2), "reshape alone is wrong"
print("1x1 conv == nn.Linear on x.permute(0, 2, 3, 1).reshape(-1, C); "
      "x.reshape(-1, C) alone does not match")

# %% Spatially separable is a different factorisation: k x 1 then 1 x k
col, row = torch.randn(1, 1, k, 1), torch.randn(1, 1, 1, k)
img = torch.randn(1, 1, 12, 12)
outer = col * row  # a rank-1 k x k kernel
assert torch.allclose(F.conv2d(F.conv2d(img, col), row), F.conv2d(img, outer),
                      atol=1e-5), "k x 1 then 1 x k == conv with the outer product"
ranks = [torch.linalg.matrix_rank(K).item() for K in (outer[0, 0], torch.randn(k, k))]
print(f"rank of the k x k kernel: spatially separable {ranks[0]}, random {ranks[1]}")
assert ranks == [1, k], "the separable kernel has rank 1, a generic one rank k"


# %% FLOPs ratio separable / standard = 1/C_out + 1/k^2
def flops(layer, x):
    with FlopCounterMode(display=False) as counter:
        layer(x)
    return counter.get_total_flops()


x = torch.randn(1, 32, 8, 8)
widths = [16, 32, 64, 128, 256]
fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Cost of a depthwise-separable convolution relative to a standard one falls with "
    "the number of output channels towards 1/k squared: about 1/9 for 3x3 and 1/25 for "
    "5x5 kernels"
))
for k in (3, 5):
    ratios = []
    for c_out in widths:
        standard = nn.Conv2d(32, c_out, k, padding=k // 2, bias=False)
        separable = nn.Sequential(
            nn.Conv2d(32, 32, k, padding=k // 2, groups=32, bias=False),
            nn.Conv2d(32, c_out, 1, bias=False),
        )
        ratios.append(flops(separable, x) / flops(standard, x))
        assert abs(ratios[-1] - (1 / c_out + 1 / k**2)) < 1e-12, (
            "FlopCounterMode's ratio is 1/C_out + 1/k^2"
        )
    print(f"k={k}: separable/standard FLOPs for C_out={widths}: "
          f"{[round(r, 3) for r in ratios]}")
    ax.plot(widths, ratios, "o-", label=f"{k}x{k} kernel")
    ax.axhline(1 / k**2, ls="--", c="gray", lw=1)
ax.set(xscale="log", xlabel="output channels C_out",
       ylabel="FLOPs separable / standard", ylim=(0, None))
ax.set_xticks(widths, [str(w) for w in widths])
ax.minorticks_off()
ax.legend()
fig.tight_layout()
