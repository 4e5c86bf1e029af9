# %% Normalise a batch of RGB images per channel: a loop and the broadcast formula agree
import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

torch.manual_seed(0)
SPREAD, CENTRE = torch.tensor([0.12, 0.2, 0.06]), torch.tensor([0.6, 0.45, 0.3])


def photos(n):  # synthetic images in [0, 1]; each channel has its own level, contrast
    noise = torch.randn(n, 3, 32, 32)
    return (noise * SPREAD.view(1, 3, 1, 1) + CENTRE.view(1, 3, 1, 1)).clamp(0, 1)


images = photos(16)  # the 'training set'
# one value per channel, computed once from the training images
mean, std = images.mean(dim=(0, 2, 3)), images.std(dim=(0, 2, 3))

by_hand = torch.empty_like(images)
for c in range(3):
    by_hand[:, c] = (images[:, c] - mean[c]) / std[c]
# broadcasting over N, H, W
normalised = (images - mean.view(1, 3, 1, 1)) / std.view(1, 3, 1, 1)
assert torch.allclose(by_hand, normalised), "the loop and the broadcast formula agree"
# the same affine map is eval-mode batch norm with these 'running' statistics
as_bn = F.batch_norm(images, mean, std**2, training=False, eps=0.0)
assert torch.allclose(as_bn, normalised, atol=1e-5), \
    "Normalize(mean, std) is F.batch_norm with those statistics"
restored = normalised * std.view(1, 3, 1, 1) + mean.view(1, 3, 1, 1)
assert torch.allclose(restored, images, atol=1e-6), "the map is invertible"
print("channel means before:", mean.numpy().round(3),
      " stds before:", std.numpy().round(3))

fig, axes = plt.subplots(1, 2, figsize=(6, 3.5), sharey=True, label=(
    "Per-channel pixel histograms: before normalisation the red, green and blue "
    "channels have different centres and spreads; after normalisation the three "
    "histograms overlap, centred on 0"
))
for c, name in enumerate("RGB"):
    axes[0].hist(images[:, c].flatten(), bins=40, histtype="step", label=name)
    axes[1].hist(normalised[:, c].flatten(), bins=40, histtype="step", label=name)
axes[0].set_title("before: pixel values in [0, 1]")
axes[1].set_title("after: (x - mean) / std")
for ax in axes:
    ax.set_xlabel("value")
axes[0].set_ylabel("pixel count")
axes[1].legend()
fig.tight_layout()

# %% New images from the same source, normalised with the training statistics
new = (photos(16) - mean.view(1, 3, 1, 1)) / std.view(1, 3, 1, 1)
new_mean, new_std = new.mean(dim=(0, 2, 3)), new.std(dim=(0, 2, 3))
print("new images after normalising: mean", new_mean.numpy().round(3),
      " std", new_std.numpy().round(3))
assert torch.allclose(new_mean, torch.zeros(3), atol=0.05), "mean close to 0"
assert torch.allclose(new_std, torch.ones(3), atol=0.05), "std close to 1"

# %% With the ImageNet constants the output is not in [-1, 1]
MEAN, STD = torch.tensor([0.485, 0.456, 0.406]), torch.tensor([0.229, 0.224, 0.225])
lo, hi = (0 - MEAN) / STD, (1 - MEAN) / STD
print("normalised black:", lo.numpy().round(3), " white:", hi.numpy().round(3))
assert -2.15 < lo.min() and lo.max() < -1.75, "black lands at about -1.8 to -2.1"
assert 2.2 < hi.min() and hi.max() < 2.7, "white lands at about +2.2 to +2.6"
# the 0-255 constants of detection libraries (e.g. MMDetection) are the same numbers
print("same statistics for 0-255 pixels: mean", (MEAN * 255).numpy().round(3),
      "std", (STD * 255).numpy().round(3))
assert torch.allclose(MEAN * 255, torch.tensor([123.675, 116.28, 103.53])), \
    "published 0-255 mean = ImageNet mean x 255"
assert torch.allclose(STD * 255, torch.tensor([58.395, 57.12, 57.375])), \
    "published 0-255 std = ImageNet std x 255"
