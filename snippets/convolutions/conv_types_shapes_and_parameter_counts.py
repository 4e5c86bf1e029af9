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


def out_len_transposed(L, k, s=1, p=0, output_padding=0):  # (L-1)s - 2p + k + o_p
    return (L - 1) * s - 2 * p + k + output_padding


def flops(c_in, c_out, taps, positions, g=1):  # 2 * (C_in/g) * C_out * k^dims * pos
    return 2 * (c_in // g) * c_out * taps * positions


S, S2 = out_len(H, 3, p=1), out_len(H, 3, s=2, p=1)  # padded size, stride-2 size
D, T = out_len(H, 3, p=2, d=2), out_len_transposed(H, 4, s=2, p=1)
dw = nn.Conv2d(C_in, C_in, 3, padding=1, groups=C_in)
# name: (layer, input, expected parameters incl. biases, output shape, FLOPs)
layers = {
    "standard 3x3": (nn.Conv2d(C_in, C_out, 3, padding=1), x2d,
                     9 * C_in * C_out + C_out, (C_out, S, S),
                     flops(C_in, C_out, 9, S * S)),
    "1x1 (pointwise)": (nn.Conv2d(C_in, C_out, 1), x2d, C_in * C_out + C_out,
                        (C_out, H, H), flops(C_in, C_out, 1, H * H)),
    "grouped, g=4": (nn.Conv2d(C_in, C_out, 3, padding=1, groups=4), x2d,
                     9 * (C_in // 4) * C_out + C_out, (C_out, S, S),
                     flops(C_in, C_out, 9, S * S, g=4)),
    "depthwise": (dw, x2d, 9 * C_in + C_in, (C_in, S, S),
                  flops(C_in, C_in, 9, S * S, g=C_in)),
    "depthwise-separable": (nn.Sequential(dw, nn.Conv2d(C_in, C_out, 1)), x2d,
                            9 * C_in + C_in + C_in * C_out + C_out, (C_out, S, S),
                            flops(C_in, C_in, 9, S * S, g=C_in)
                            + flops(C_in, C_out, 1, S * S)),
    "dilated 3x3, d=2": (nn.Conv2d(C_in, C_out, 3, padding=2, dilation=2), x2d,
                         9 * C_in * C_out + C_out, (C_out, D, D),
                         flops(C_in, C_out, 9, D * D)),
    "strided 3x3, s=2": (nn.Conv2d(C_in, C_out, 3, stride=2, padding=1), x2d,
                         9 * C_in * C_out + C_out, (C_out, S2, S2),
                         flops(C_in, C_out, 9, S2 * S2)),
    # a transposed conv does its work per INPUT position, so count H_in * W_in
    "transposed 4x4, s=2": (nn.ConvTranspose2d(C_in, C_out, 4, stride=2, padding=1),
                            x2d, 16 * C_in * C_out + C_out, (C_out, T, T),
                            flops(C_in, C_out, 16, H * H)),
    "1D, k=3": (nn.Conv1d(C_in, C_out, 3, padding=1), x1d, 3 * C_in * C_out + C_out,
                (C_out, out_len(100, 3, p=1)), flops(C_in, C_out, 3, 100)),
    "3D, 3x3x3": (nn.Conv3d(C_in, C_out, 3, padding=1), x3d, 27 * C_in * C_out + C_out,
                  (C_out, out_len(4, 3, p=1), out_len(8, 3, p=1), out_len(8, 3, p=1)),
                  flops(C_in, C_out, 27, 4 * 8 * 8)),
}

print(f"{'type':20} {'output shape':>18} {'parameters':>10} {'FLOPs':>10}")
for name, (layer, x, params, shape, expected_flops) in layers.items():
    with FlopCounterMode(display=False) as counter:
        y = layer(x)
    assert sum(p.numel() for p in layer.parameters()) == params, f"{name}: params"
    assert y.shape[1:] == shape, f"{name}: output shape follows the formula"
    counted = counter.get_total_flops()
    assert counted == expected_flops, f"{name}: FlopCounterMode agrees with the formula"
    print(f"{name:20} {str(tuple(y.shape)):>18} {params:>10,} {counted:>10,}")

# padding='same' keeps the size, but PyTorch refuses it for strided convolutions
try:
    nn.Conv2d(C_in, C_out, 3, stride=2, padding="same")
    raise AssertionError("expected a ValueError")
except ValueError as error:
    print(f"padding='same' with stride 2 -> ValueError: {error}")

# %% Two stacked 3x3 convs see the same 5x5 window as one 5x5 conv, with fewer weights
C = 64
two_3x3 = nn.Sequential(nn.Conv2d(C, C, 3, bias=False), nn.Conv2d(C, C, 3, bias=False))
one_5x5 = nn.Conv2d(C, C, 5, bias=False)
for name, net in [("two 3x3", two_3x3), ("one 5x5", one_5x5)]:
    x = torch.randn(1, C, 9, 9, requires_grad=True)
    net(x)[0, :, 2, 2].sum().backward()  # the centre output
    seen = x.grad[0].abs().sum(0) != 0
    rows, cols = seen.nonzero().unbind(1)
    window = (rows.max() - rows.min() + 1).item(), (cols.max() - cols.min() + 1).item()
    n_weights = sum(p.numel() for p in net.parameters())
    print(f"{name}: receptive field {window}, {n_weights:,} weights")
    assert window == (5, 5) and seen.sum() == 25, "a full 5x5 window, no holes"
assert (sum(p.numel() for p in two_3x3.parameters()), one_5x5.weight.numel()) == (
    18 * C * C, 25 * C * C), "18 C^2 weights for the stack against 25 C^2 for the 5x5"

# %% PyTorch's "convolution" is a cross-correlation: the kernel is not flipped
x, w = torch.arange(5.0).view(1, 1, 5), torch.tensor([[[1.0, 2.0, 3.0]]])
y = F.conv1d(x, w)  # y[i] = sum_j w[j] * x[i + j]
assert torch.equal(y.flatten(), torch.tensor([0 * 1 + 1 * 2 + 2 * 3,
                                              1 * 1 + 2 * 2 + 3 * 3,
                                              2 * 1 + 3 * 2 + 4 * 3.0])), "no flip"
print(f"conv1d([0, 1, 2, 3, 4], [1, 2, 3]) = {y.flatten().tolist()} "
      "(a flipped kernel would give 4.0 first)")
