# %% Length-32 signals with 4 degrees of freedom, squeezed to 4 numbers in three ways
import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
t = torch.arange(32.0)


def signals(n, f1, f2):  # random mixes of sin and cos at f1 and f2 cycles per 32 steps
    waves = [torch.sin(2 * torch.pi * f * t / 32) for f in (f1, f2)]
    waves += [torch.cos(2 * torch.pi * f * t / 32) for f in (f1, f2)]
    return torch.randn(n, 4) @ torch.stack(waves)


pool = nn.AvgPool1d(8)                                   # 32 -> 4, a fixed rule
print(f"parameters in AvgPool1d: {sum(p.numel() for p in pool.parameters())}")
print("share of the test signal power lost (0 = perfect, 1 = as bad as all zeros)")
print(" freqs  pooled rank  pool+interpolate  pool+fitted decoder  learned code")
lost, rank = {}, {}
for f1, f2 in [(1, 2), (5, 11)]:
    X_train, X_test = signals(256, f1, f2), signals(256, f1, f2)
    p_train, p_test = (pool(X.unsqueeze(1)).squeeze(1) for X in (X_train, X_test))
    # pooled -> 32: fixed linear interpolation, or a decoder fitted by least squares
    interp = F.interpolate(p_test.unsqueeze(1), size=32, mode="linear").squeeze(1)
    fitted = p_test @ torch.linalg.pinv(p_train, rtol=1e-4) @ X_train  # least squares
    # 32 -> 4 -> 32 learned from the data
    enc, dec = nn.Linear(32, 4, bias=False), nn.Linear(4, 32, bias=False)
    opt = torch.optim.Adam([*enc.parameters(), *dec.parameters()], lr=1e-2)
    for step in range(300):
        loss = (dec(enc(X_train)) - X_train).pow(2).mean()
        opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad():
        coded = dec(enc(X_test))
    power = X_test.pow(2).mean()
    lost[f1, f2] = [((r - X_test).pow(2).mean() / power).item()
                    for r in (interp, fitted, coded)]
    rank[f1, f2] = torch.linalg.matrix_rank(p_train).item()
    print(f"{f1:>3},{f2:<3} {rank[f1, f2]:>7}" + "".join(
        f"{v:>{w}.1%}" for v, w in zip(lost[f1, f2], (17, 21, 14))))
# the 4 waves are orthogonal with equal power, so each lost direction costs 1/4
share = {f: (4 - r) / 4 for f, r in rank.items()}
print("power in the directions pooling destroys, (4 - rank) / 4:",
      ", ".join(f"{f[0]},{f[1]}: {v:.0%}" for f, v in share.items()))

# 2 cycles is the Nyquist frequency of 4 values: sin and cos pool to one pattern
assert rank[1, 2] == 3, "at exactly 2 cycles per 4 values, one direction is lost"
# 5 and 11 cycles per 32 steps both fold onto 1 cycle per 4 pooled values (aliasing)
assert rank[5, 11] == 2, "two of the four directions are lost for good"
assert all(abs(lost[f][1] - share[f]) < 0.05 for f in rank), (
    "a decoder fitted to the pooled values loses about what the lost directions carry"
)
assert lost[1, 2][0] < lost[5, 11][0] / 2, "the fixed rule suits smooth signals better"
assert max(lost[1, 2][2], lost[5, 11][2]) < 0.01, "a learned 4-number code keeps it all"

fig, ax = plt.subplots(figsize=(6, 4), label=(
    "One test signal with frequencies 5 and 11: the reconstruction from 4 learned code "
    "values overlaps it; the interpolated 4 pooled values are nearly flat, and a "
    "decoder fitted to them recovers only part of the signal"
))
ax.plot(t, X_test[0], "k", lw=2, label="signal (5 and 11 cycles)")
ax.plot(t, coded[0], "--", label="from 4 learned code values")
ax.plot(t, interp[0], label="from 4 pooled values, interpolated")
ax.plot(t, fitted[0], ":", label="from 4 pooled values, fitted decoder")
ax.set(xlabel="time step", ylabel="value")
ax.legend(fontsize=8, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.15))
fig.tight_layout()

# %% Counting numbers per image through a ResNet-18-shaped network (random weights)
img = torch.randn(1, 3, 224, 224)
steps = [  # (name, layer): the stem, one stride-2 conv per later stage, the final pool
    ("conv 7x7/2 + max-pool", nn.Sequential(
        nn.Conv2d(3, 64, 7, stride=2, padding=3), nn.ReLU(), nn.MaxPool2d(3, 2, 1))),
    *[(f"conv 3x3/2 to {c} ch", nn.Conv2d(c // 2, c, 3, stride=2, padding=1))
      for c in (128, 256, 512)],
    ("global average pool", nn.AdaptiveAvgPool2d(1)),
]
sizes, shapes, x = [img.numel()], [], img
print(f"{'input image':<22} {tuple(img.shape[1:])!s:<16} {img.numel():>8,}")
with torch.no_grad():
    for name, layer in steps:
        x = layer(x)
        sizes.append(x.numel())
        shapes.append(tuple(x.shape[1:]))
        print(f"{name:<22} {shapes[-1]!s:<16} {x.numel():>8,}")
ratios = [a / b for a, b in zip(sizes, sizes[1:])]
# output sizes of conv2_x to conv5_x for ResNet-18 in He et al. (2016), Table 1
table_1 = [(64, 56, 56), (128, 28, 28), (256, 14, 14), (512, 7, 7)]
assert shapes[:4] == table_1, "the replica's stage outputs match the paper's Table 1"
assert sizes[1] > sizes[0], "the stem leaves more numbers than the input image has"
assert ratios[1:4] == [2, 2, 2], "each later stage halves the total (HW / 4, C x 2)"
assert max(ratios) == ratios[-1], "the biggest single reduction is the global pool"

# %% Learned channel reduction: a 1x1 convolution is a Linear layer on each pixel
feat = torch.randn(1, 256, 14, 14)
reduce = nn.Conv2d(256, 64, kernel_size=1)               # 256 -> 64 channels, learned
per_pixel = nn.Linear(256, 64)
with torch.no_grad():
    per_pixel.weight.copy_(reduce.weight.flatten(1))     # (64, 256, 1, 1) -> (64, 256)
    per_pixel.bias.copy_(reduce.bias)
    by_conv = reduce(feat)
    by_linear = per_pixel(feat.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
print(f"1x1 conv: {tuple(feat.shape[1:])} -> {tuple(by_conv.shape[1:])}, "
      f"{sum(p.numel() for p in reduce.parameters()):,} learned parameters")
assert torch.allclose(by_conv, by_linear, atol=1e-5), (
    "a 1x1 convolution applies one learned linear map to every pixel's channels"
)
