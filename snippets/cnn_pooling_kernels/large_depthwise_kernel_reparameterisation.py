# %% Structural re-parameterisation: a 3x3 branch merged into a 7x7 depthwise kernel
import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.fusion import fuse_conv_bn_eval
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)
C = 8
x = torch.randn(2, C, 20, 20)


def conv_bn(k):  # depthwise k x k conv, then BN with non-trivial statistics
    conv = nn.Conv2d(C, C, k, padding=k // 2, groups=C, bias=False).eval()
    bn = nn.BatchNorm2d(C).eval()
    for t in (bn.running_mean, bn.weight, bn.bias):
        nn.init.normal_(t)
    bn.running_var.uniform_(0.5, 2.0)
    return conv, bn


(big, bn7), (small, bn3) = conv_bn(7), conv_bn(3)
with torch.no_grad():
    two_branch = bn7(big(x)) + bn3(small(x))  # what is trained
    f7, f3 = fuse_conv_bn_eval(big, bn7), fuse_conv_bn_eval(small, bn3)  # fold BN
    kernel = f7.weight + F.pad(f3.weight, [2, 2, 2, 2])  # 3x3 into the 7x7 centre
    merged = F.conv2d(x, kernel, f7.bias + f3.bias, padding=3, groups=C)
    off_centre = F.conv2d(x, f7.weight + F.pad(f3.weight, [0, 4, 0, 4]),
                          f7.bias + f3.bias, padding=3, groups=C)
print(f"two branches vs one merged 7x7 conv: max diff "
      f"{(two_branch - merged).abs().max():.1e}; with the 3x3 padded off-centre: "
      f"{(two_branch - off_centre).abs().max():.2f}")
assert torch.allclose(two_branch, merged, atol=1e-5), "merged kernel == two branches"
assert not torch.allclose(two_branch, off_centre, atol=1e-2), "only if centred"

# %% Cost: a depthwise k x k kernel against a dense one and a block's 1x1 layers
count = lambda m: sum(p.numel() for p in m.parameters())
C, side, sizes = 96, 56, list(range(3, 32, 4))  # ConvNeXt-T stage 1 width, 56x56 map
with torch.device("meta"):  # shapes only: nothing is allocated or computed
    feats = torch.randn(1, C, side, side)
    pointwise = count(nn.Linear(C, 4 * C)) + count(nn.Linear(4 * C, C))  # 8C^2 + 5C
    dense, depthwise, dw_flops = [], [], []
    for k in sizes:
        dense.append(count(nn.Conv2d(C, C, k, bias=False)))
        dw = nn.Conv2d(C, C, k, padding=k // 2, groups=C, bias=False)
        depthwise.append(count(dw))
        with FlopCounterMode(display=False) as counter:
            dw(feats)
        dw_flops.append(counter.get_total_flops())
assert dense == [k * k * C * C for k in sizes], "dense: k^2 C^2"
assert depthwise == [k * k * C for k in sizes], "depthwise: k^2 C, C times fewer"
assert dw_flops == [2 * k * k * C * side * side for k in sizes], "FLOPs 2 k^2 C H W"
for k, d, w, f in zip(sizes, dense, depthwise, dw_flops):
    if k in (3, 7, 31):
        print(f"k={k:2}: dense {d:>9,} weights, depthwise {w:>6,} weights "
              f"({f / 1e6:5.1f} MFLOPs on {side}x{side})")
print(f"the block's two 1x1 layers (C -> 4C -> C): {pointwise:,} weights")
share = depthwise[sizes.index(7)] / (depthwise[sizes.index(7)] + pointwise)
print(f"ConvNeXt-T-like block (C={C}): the 7x7 depthwise kernel holds {share:.1%} "
      "of the weights")
assert share < 0.1, "in a ConvNeXt block the 1x1 layers hold most weights"
below = [k for k, w in zip(sizes, depthwise) if w < pointwise]
assert below == [k for k in sizes if k <= 27], "depthwise passes the 1x1 layers at 31"

fig, ax = plt.subplots(figsize=(6, 3.6), label=(
    "Weights of one layer against kernel size k from 3 to 31 at 96 channels, log "
    "scale: a dense k x k convolution grows from about 83 thousand to almost 9 "
    "million, a depthwise one from 864 to about 92 thousand. The depthwise line stays "
    "below the 74 thousand weights of a ConvNeXt block's two 1x1 layers (dashed) up "
    "to k = 27 and passes it only at k = 31"))
ax.semilogy(sizes, dense, "o-", label="dense k x k conv ($k^2C^2$)")
ax.semilogy(sizes, depthwise, "s-", label="depthwise k x k conv ($k^2C$)")
ax.axhline(pointwise, ls="--", c="gray", label="two 1x1 layers, 4x expansion")
ax.set(xlabel="kernel size k", ylabel=f"weights (C = {C})", xticks=sizes)
ax.legend(fontsize=8)
fig.tight_layout()

# %% RepLKNet-31B's blocks: kernels 3 -> [31, 29, 27, 13], counted on meta tensors
widths, depths, sides = [128, 256, 512, 1024], [2, 2, 18, 2], [56, 28, 14, 7]


def block(C, k):  # the convolutions of one RepLK block and its 4x FFN (no norms)
    return nn.Sequential(nn.Conv2d(C, C, 1), nn.Conv2d(C, C, k, padding=k // 2,
                         groups=C), nn.Conv2d(C, C, 1), nn.Conv2d(C, 4 * C, 1),
                         nn.Conv2d(4 * C, C, 1))


def network_cost(kernels):
    params = flops = 0
    with torch.device("meta"):
        for C, n, s, k in zip(widths, depths, sides, kernels):
            b = block(C, k)
            with FlopCounterMode(display=False) as counter:
                b(torch.randn(1, C, s, s))
            params += n * count(b)
            flops += n * counter.get_total_flops()
    return params, flops


(p3, f3), (p31, f31) = network_cost([3] * 4), network_cost([31, 29, 27, 13])
print(f"blocks with 3x3 kernels: {p3 / 1e6:.1f} M parameters, {f3 / 1e9:.1f} GFLOPs; "
      f"with [31, 29, 27, 13]: +{p31 / p3 - 1:.1%} parameters, +{f31 / f3 - 1:.1%} "
      "FLOPs")
assert p31 - p3 == sum(n * (k * k - 9) * C for C, n, k in
                       zip(widths, depths, [31, 29, 27, 13])), "only k^2 C grows"
assert p31 / p3 - 1 < 0.15, "large depthwise kernels add little: 1x1 layers dominate"
assert f31 - f3 == sum(n * 2 * (k * k - 9) * C * s * s for C, n, s, k in
                       zip(widths, depths, sides, [31, 29, 27, 13])), "2 (k^2 - 9) C HW"
