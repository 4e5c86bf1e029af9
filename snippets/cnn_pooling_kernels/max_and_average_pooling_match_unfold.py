# %% Max and average pooling are a max and a mean over unfolded windows
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
N, C, H, W = 2, 3, 9, 9
x = torch.randn(N, C, H, W)


def by_hand(x, k, s, reduce):
    """Cut every k x k window (stride s) with unfold and reduce it."""
    cols = F.unfold(x.reshape(N * C, 1, H, W), k, stride=s)  # (N*C, k*k, windows)
    side = (H - k) // s + 1  # output size, no padding
    return reduce(cols).reshape(N, C, side, side)


for k, s in [(2, 2), (3, 2)]:  # non-overlapping and overlapping (AlexNet-style)
    mx = by_hand(x, k, s, lambda c: c.amax(1))
    av = by_hand(x, k, s, lambda c: c.mean(1))
    assert torch.equal(mx, F.max_pool2d(x, k, s)), "max pooling = max over windows"
    assert torch.allclose(av, F.avg_pool2d(x, k, s), atol=1e-6), "avg = window mean"
    print(f"k={k}, stride={s}: {H}x{W} -> {tuple(mx.shape[-2:])}; "
          "max_pool2d and avg_pool2d match unfold + max / mean")

# %% Global average pooling is the mean over H and W, whatever the input size
for size in [(9, 9), (7, 12)]:
    feats = torch.randn(N, C, *size)
    gap = nn.AdaptiveAvgPool2d(1)(feats)  # (N, C, 1, 1)
    assert torch.allclose(gap.flatten(1), feats.mean(dim=(2, 3)), atol=1e-6), (
        "AdaptiveAvgPool2d(1) = mean over H, W"
    )
    assert torch.allclose(gap, F.avg_pool2d(feats, size), atol=1e-6), (
        "= average pooling with one window as large as the map"
    )
    gmp = nn.AdaptiveMaxPool2d(1)(feats).flatten(1)
    assert torch.equal(gmp, feats.amax(dim=(2, 3))), "global max = amax over H, W"
    print(f"{size}: AdaptiveAvgPool2d(1) -> {tuple(gap.shape)}, "
          "matches x.mean(dim=(2, 3)); AdaptiveMaxPool2d(1) x.amax(dim=(2, 3))")

# %% Padding: average pooling counts the zeros unless told not to
ones = torch.ones(1, 1, 4, 4)
with_pad = F.avg_pool2d(ones, 3, stride=1, padding=1)  # count_include_pad=True
without = F.avg_pool2d(ones, 3, stride=1, padding=1, count_include_pad=False)
print(f"all-ones input, 3x3 average with padding 1: corner {with_pad[0, 0, 0, 0]:.4f}"
      f" (4/9), edge {with_pad[0, 0, 0, 1]:.4f} (6/9), centre "
      f"{with_pad[0, 0, 1, 1]:.4f}; count_include_pad=False: corner "
      f"{without[0, 0, 0, 0]:.4f}")
assert torch.isclose(with_pad[0, 0, 0, 0], torch.tensor(4 / 9)), "corner: 4 of 9 real"
assert torch.isclose(with_pad[0, 0, 0, 1], torch.tensor(6 / 9)), "edge: 6 of 9 real"
assert torch.allclose(without, ones), "count_include_pad=False averages real pixels"
# max pooling pads with -inf, so a padded border never wins
neg = -torch.ones(1, 1, 4, 4)
assert torch.equal(F.max_pool2d(neg, 3, stride=1, padding=1), neg), (
    "max pooling pads with -inf, not 0"
)
print("max_pool2d with padding on an all -1 input still returns -1 everywhere "
      "(-inf padding)")

# %% Between the two: generalised-mean (GeM) pooling, (mean of x^p)^(1/p)
feats = torch.relu(torch.randn(N, C, 7, 7, dtype=torch.float64)) + 1e-6  # > 0
gem = lambda p: feats.pow(p).mean(dim=(2, 3)).pow(1 / p)
assert torch.allclose(gem(1), feats.mean(dim=(2, 3))), "p = 1: average pooling"
lp = F.lp_pool2d(feats, 3.0, (7, 7)).flatten(1) / 49 ** (1 / 3)  # (sum x^p)^(1/p)
assert torch.allclose(gem(3), lp, rtol=1e-4), "GeM = lp_pool2d / n^(1/p)"
ps = [1, 3, 10, 100]
gap_to_max = [(feats.amax(dim=(2, 3)) - gem(p)).mean().item() for p in ps]
print("GeM, mean distance below the global max for p = "
      + ", ".join(f"{p}: {d:.3f}" for p, d in zip(ps, gap_to_max)))
assert all(a > b >= 0 for a, b in zip(gap_to_max, gap_to_max[1:])), (
    "GeM rises with p from the average towards the max"
)
assert gap_to_max[-1] < 0.1 * gap_to_max[0], "large p: GeM is close to the max"
