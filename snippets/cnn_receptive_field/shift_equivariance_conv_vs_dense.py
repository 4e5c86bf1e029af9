# %% Shift the image, then compare with the shifted output: conv vs dense layer
import torch
import torch.nn as nn

torch.manual_seed(0)
C, H = 3, 16
# small integers in float64: every sum is exact, so "equal" can mean torch.equal
img = torch.randint(-3, 4, (1, C, H, H)).double()
kernel = torch.randint(-2, 3, (4, C, 3, 3)).double()
circ = nn.Conv2d(C, 4, 3, padding=1, padding_mode="circular", bias=False).double()
zero = nn.Conv2d(C, 4, 3, padding=1, bias=False).double()  # zero padding
circ.weight.data, zero.weight.data = kernel, kernel.clone()
fc = nn.Linear(C * H * H, 4 * H * H, bias=False).double()
dense = lambda t: fc(t.flatten(1)).reshape(1, 4, H, H)
shift = lambda t: torch.roll(t, (2, 1), dims=(-2, -1))  # 2 down, 1 right (wrapping)

with torch.no_grad():
    for name, f in [("conv, circular padding", circ), ("conv, zero padding", zero),
                    ("dense layer", dense)]:
        off = (f(shift(img)) != shift(f(img))).any(1)[0]  # which output pixels differ
        print(f"{name:24} f(shift x) != shift f(x) at {int(off.sum()):3d} "
              f"of {H * H} pixels")
        if name.startswith("conv, circ"):
            assert not off.any(), "circular padding: exactly equivariant everywhere"
        elif name.startswith("conv, zero"):
            inner = off[3:-1, 2:-1]  # pixels whose window never met the border
            assert off.any() and not inner.any(), "zero padding: only the border"
        else:
            assert off.float().mean() > 0.9, "dense layer: broken almost everywhere"

# %% Pooling turns equivariance into (approximate) invariance: f(shift x) vs f(x)
pool_sizes = [1, 2, 4, 8]
features = lambda t: torch.relu(circ(t))
smooth = nn.AvgPool2d(3, 1, 1, count_include_pad=False)  # a smoother image
x = (smooth(torch.randn(1, C, H, H, dtype=torch.float64)) * 8).round() / 8  # exact sums
one_px = lambda t: torch.roll(t, 1, dims=-1)  # shift one pixel to the right
change = {}
with torch.no_grad():
    a, b = features(x), features(one_px(x))
    for s in pool_sizes:
        pa, pb = nn.functional.max_pool2d(a, s), nn.functional.max_pool2d(b, s)
        change[s] = ((pb - pa).norm() / pa.norm()).item()
        print(f"max pool {s}x{s} stride {s}: |f(shift x) - f(x)| / |f(x)| = "
              f"{change[s]:.3f}")
    gap_a, gap_b = a.amax((-2, -1)), b.amax((-2, -1))
    print(f"global max pool: largest change {(gap_b - gap_a).abs().max():.1e}")
assert torch.equal(gap_a, gap_b), "global pooling of a circular map: exactly invariant"
assert all(change[s] > change[t] for s, t in zip(pool_sizes, pool_sizes[1:])), (
    "in this run, larger pooling windows change less under a one-pixel shift")
