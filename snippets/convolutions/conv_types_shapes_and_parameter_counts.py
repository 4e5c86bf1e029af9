# %% Output shape, parameters and FLOPs of each convolution type
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)
C_in, C_out, H = 32, 64, 16
x2d = torch.randn(1, C_in, H, H)
x1d = torch.randn(1, C_in, 100)
x3d = torch.randn(1, C_in, 4, 8, 8)


def out_len(L, k, s=1, p=0, d=1):  # floor((L + 2p - d(k-1) - 1) / s) + 1
    return (L + 2 * p - d * (k - 1) - 1) // s + 1


# (L-1)s - 2p + k + output_padding
def out_len_transposed(L, k, s=1, p=0, output_padding=0):
    return (L - 1) * s - 2 * p + k + output_padding


dw = nn.Conv2d(C_in, C_in, 3, padding=1, groups=C_in)
# name: (layer, input, expected parameters incl. biases, expected last dim of output)
layers = {
    "standard 3x3": (
        nn.Conv2d(C_in, C_out, 3, padding=1), x2d,
        9 * C_in * C_out + C_out, out_len(H, 3, p=1),
    ),
    "1x1 (pointwise)": (
        nn.Conv2d(C_in, C_out, 1), x2d,
        C_in * C_out + C_out, out_len(H, 1),
    ),
    "grouped, g=4": (
        nn.Conv2d(C_in, C_out, 3, padding=1, groups=4), x2d,
        9 * (C_in // 4) * C_out + C_out, H,
    ),
    "depthwise": (dw, x2d, 9 * C_in + C_in, H),
    "depthwise-separable": (
        nn.Sequential(dw, nn.Conv2d(C_in, C_out, 1)), x2d,
        9 * C_in + C_in + C_in * C_out + C_out, H,
    ),
    "dilated 3x3, d=2": (
        nn.Conv2d(C_in, C_out, 3, padding=2, dilation=2), x2d,
        9 * C_in * C_out + C_out, out_len(H, 3, p=2, d=2),
    ),
    "strided 3x3, s=2": (
        nn.Conv2d(C_in, C_out, 3, stride=2, padding=1), x2d,
        9 * C_in * C_out + C_out, out_len(H, 3, s=2, p=1),
    ),
    "transposed 4x4, s=2": (
        nn.ConvTranspose2d(C_in, C_out, 4, stride=2, padding=1), x2d,
        16 * C_in * C_out + C_out, out_len_transposed(H, 4, s=2, p=1),
    ),
    "1D, k=3": (
        nn.Conv1d(C_in, C_out, 3, padding=1), x1d,
        3 * C_in * C_out + C_out, out_len(100, 3, p=1),
    ),
    "3D, 3x3x3": (
        nn.Conv3d(C_in, C_out, 3, padding=1), x3d,
        27 * C_in * C_out + C_out, out_len(8, 3, p=1),
    ),
}

print(f"{'type':20} {'output shape':>18} {'parameters':>10} {'FLOPs':>10}")
for name, (layer, x, params, size) in layers.items():
    with FlopCounterMode(display=False) as counter:
        y = layer(x)
    assert sum(p.numel() for p in layer.parameters()) == params, name
    assert y.shape[-1] == size, name
    flops = counter.get_total_flops()
    print(f"{name:20} {str(tuple(y.shape)):>18} {params:>10,} {flops:>10,}")

# %% PyTorch's "convolution" is a cross-correlation: the kernel is not flipped
x, w = torch.arange(5.0).view(1, 1, 5), torch.tensor([[[1.0, 2.0, 3.0]]])
y = F.conv1d(x, w)  # y[i] = sum_j w[j] * x[i + j]
assert torch.equal(y.flatten(), torch.tensor([0 * 1 + 1 * 2 + 2 * 3,
                                              1 * 1 + 2 * 2 + 3 * 3,
                                              2 * 1 + 3 * 2 + 4 * 3.0]))
print(f"conv1d([0, 1, 2, 3, 4], [1, 2, 3]) = {y.flatten().tolist()} "
      "(a flipped kernel would give 4.0 first)")
