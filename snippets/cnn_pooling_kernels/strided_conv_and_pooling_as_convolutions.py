# %% A stride-2 convolution is a stride-1 convolution with every other output kept
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)
x = torch.randn(2, 8, 16, 16)
w = torch.randn(16, 8, 3, 3)


def flops(fn, *args, **kw):
    with FlopCounterMode(display=False) as counter:
        out = fn(*args, **kw)
    return out, counter.get_total_flops()


dense, f1 = flops(F.conv2d, x, w, padding=1)  # 16x16 outputs
strided, f2 = flops(F.conv2d, x, w, padding=1, stride=2)  # 8x8 outputs
assert torch.allclose(strided, dense[..., ::2, ::2], atol=1e-5), (
    "stride 2 = stride 1, then keep every second row and column"
)
assert f1 == 4 * f2, "and it costs a quarter: it only computes the kept outputs"
print(f"conv stride 2 == conv stride 1 then [..., ::2, ::2]; FLOPs {f1:,} vs {f2:,}")

# %% Average pooling is a fixed depthwise convolution; max pooling is not linear
k, C = 2, x.shape[1]
box = torch.full((C, 1, k, k), 1 / k**2)  # one 1/k^2 box filter per channel
as_conv = F.conv2d(x, box, stride=k, groups=C)
assert torch.allclose(as_conv, F.avg_pool2d(x, k), atol=1e-6), (
    "avg_pool2d = depthwise conv with weights 1/k^2 and stride k"
)
print(f"avg_pool2d(k={k}) == depthwise conv2d with all weights 1/{k**2}, stride {k}")
a, b = torch.randn(2, 1, 1, 4, 4).unbind(0)
gap = (F.max_pool2d(a + b, 2) - F.max_pool2d(a, 2) - F.max_pool2d(b, 2)).abs().max()
assert gap > 0.1, "max pooling is not additive, so no convolution can equal it"
print(f"max_pool(a + b) vs max_pool(a) + max_pool(b): off by up to {gap:.2f}, "
      "so max pooling is no convolution")

# %% A global-average-pooling head against a flatten + fully connected head
with torch.device("meta"):  # count parameters without allocating 400 MB
    fc_head = nn.Sequential(nn.Flatten(), nn.Linear(512 * 7 * 7, 4096))
    gap_head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                             nn.Linear(512, 1000))
n_fc = sum(p.numel() for p in fc_head.parameters())
n_gap = sum(p.numel() for p in gap_head.parameters())
assert (n_fc, n_gap) == (512 * 49 * 4096 + 4096, 512 * 1000 + 1000), "C*H*W*out + out"
print(f"VGG-style first FC layer on 512x7x7: {n_fc:,} parameters; "
      f"GAP + Linear(512, 1000): {n_gap:,}")
works = {}
for size in (7, 10):  # GAP does not care about the input size; flatten + FC does
    feats = torch.randn(1, 512, size, size, device="meta")
    assert gap_head(feats).shape == (1, 1000), "GAP head: any input size"
    try:
        fc_head(feats)
        works[size] = True
    except RuntimeError:  # 512 * 10 * 10 inputs where 512 * 7 * 7 were expected
        works[size] = False
print(f"GAP head gives (1, 1000) on 7x7 and 10x10 maps; FC head works: {works}")
assert works == {7: True, 10: False}, "the FC head only accepts its training size"

# %% GAP then a linear layer = a 1x1 conv (per-position class scores), then GAP
feats, head = torch.randn(2, 64, 7, 7), nn.Linear(64, 10)
per_position = F.conv2d(feats, head.weight[:, :, None, None], head.bias)  # (2,10,7,7)
assert torch.allclose(head(feats.mean((2, 3))), per_position.mean((2, 3)), atol=1e-5), (
    "linear(mean of features) = mean of the per-position class maps"
)
print("Linear(GAP(x)) == GAP(1x1 conv(x)): the logits average a class score map")
