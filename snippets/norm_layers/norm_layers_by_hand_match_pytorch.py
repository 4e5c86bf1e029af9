# %% Four layers, one formula: only the axes of the mean and variance differ
import matplotlib.pyplot as plt
import torch
from torch import nn

torch.manual_seed(0)
N, C, H, W, G = 4, 6, 5, 5, 3  # GroupNorm: 3 groups of 2 channels
x = torch.randn(N, C, H, W) * 2 + 1

def normalise(x, dims, eps=1e-5):  # biased variance, as all four layers use
    mean = x.mean(dim=dims, keepdim=True)
    var = x.var(dim=dims, unbiased=False, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps)

def group_norm(x, groups):  # split C into groups, normalise each over (C/G, H, W)
    return normalise(x.view(N, groups, -1), dims=2).view_as(x)

layers = {  # name: (PyTorch layer, hand-written version); affine left at 1 and 0
    "BatchNorm2d": (nn.BatchNorm2d(C).train(), lambda x: normalise(x, (0, 2, 3))),
    "LayerNorm": (nn.LayerNorm([C, H, W]), lambda x: normalise(x, (1, 2, 3))),
    "GroupNorm": (nn.GroupNorm(G, C), lambda x: group_norm(x, G)),
    "InstanceNorm2d": (nn.InstanceNorm2d(C), lambda x: normalise(x, (2, 3))),
}
for name, (layer, by_hand) in layers.items():
    err = (layer(x) - by_hand(x)).abs().max()
    print(f"{name:15s} by hand vs PyTorch: max difference {err:.1e}")
    assert err < 1e-5, f"{name}: the hand-written axes are the right ones"

# %% GroupNorm's two extremes: one group is LayerNorm, C groups is InstanceNorm
one_group = nn.GroupNorm(1, C, affine=False)(x)
layer_norm = nn.LayerNorm([C, H, W], elementwise_affine=False)(x)
per_channel = nn.GroupNorm(C, C, affine=False)(x)
instance = nn.InstanceNorm2d(C)(x)
print(f"GroupNorm(1, C) vs LayerNorm over (C, H, W): "
      f"{(one_group - layer_norm).abs().max():.1e}")
print(f"GroupNorm(C, C) vs InstanceNorm2d:           "
      f"{(per_channel - instance).abs().max():.1e}")
assert torch.allclose(one_group, layer_norm, atol=1e-5), "G = 1 is LayerNorm"
assert torch.allclose(per_channel, instance, atol=1e-5), "G = C is InstanceNorm"
print("affine parameters: LayerNorm", tuple(nn.LayerNorm([C, H, W]).weight.shape),
      "per element; GroupNorm", tuple(nn.GroupNorm(G, C).weight.shape), "per channel")

# %% Which inputs share statistics? Perturb one (sample, channel) and look
n0, c0 = 1, 2  # the perturbed cell: all H x W values of channel 2 in sample 1
bump = torch.zeros_like(x)
bump[n0, c0] = torch.randn(H, W)
fig, axes = plt.subplots(1, 4, figsize=(9, 2.9), label=(
    "Four grids of samples by channels. Cells whose outputs change when the input "
    "of sample 1, channel 2 is perturbed: batch norm, the whole channel-2 column "
    "across samples; layer norm, the whole sample-1 row; group norm, the two "
    "channels of that sample's group; instance norm, only the cell itself"
))
expected = {"BatchNorm2d": lambda n, c: c == c0, "LayerNorm": lambda n, c: n == n0,
            "GroupNorm": lambda n, c: n == n0 and c // (C // G) == c0 // (C // G),
            "InstanceNorm2d": lambda n, c: n == n0 and c == c0}
for ax, (name, (layer, _)) in zip(axes, layers.items()):
    with torch.no_grad():
        change = (layer(x + bump) - layer(x)).abs().amax(dim=(2, 3))  # (N, C)
    moved = change > 1e-4
    want = torch.tensor([[expected[name](n, c) for c in range(C)] for n in range(N)])
    assert torch.equal(moved, want), f"{name}: statistics shared as stated"
    ax.imshow(moved.float(), cmap="Blues", vmin=0, vmax=1.3)
    ax.plot(c0, n0, "x", color="tab:red", ms=10, mew=2)
    ax.set_title(name, fontsize=9)
    ax.set(xticks=range(C), yticks=range(N), xlabel="channel C")
axes[0].set_ylabel("sample N")
fig.tight_layout()
print("outputs that move with the perturbed cell match each layer's axes")
