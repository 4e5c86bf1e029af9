# %% Normalise a batch of RGB images per channel: a loop and the broadcast formula agree
import matplotlib.pyplot as plt
import torch

torch.manual_seed(0)
# synthetic "photos" in [0, 1]: each channel has its own brightness and contrast
images = (torch.randn(16, 3, 32, 32) * torch.tensor([0.12, 0.2, 0.06]).view(1, 3, 1, 1)
          + torch.tensor([0.6, 0.45, 0.3]).view(1, 3, 1, 1)).clamp(0, 1)
# one value per channel
mean, std = images.mean(dim=(0, 2, 3)), images.std(dim=(0, 2, 3))

by_hand = torch.empty_like(images)
for c in range(3):
    by_hand[:, c] = (images[:, c] - mean[c]) / std[c]
# broadcasting over N, H, W
normalised = (images - mean.view(1, 3, 1, 1)) / std.view(1, 3, 1, 1)
assert torch.allclose(by_hand, normalised)
assert torch.allclose(normalised * std.view(1, 3, 1, 1) + mean.view(1, 3, 1, 1),
                      images, atol=1e-6)
assert torch.allclose(normalised.mean(dim=(0, 2, 3)), torch.zeros(3), atol=1e-5)
assert torch.allclose(normalised.std(dim=(0, 2, 3)), torch.ones(3), atol=1e-5)
print("channel means before:", mean.numpy().round(3),
      " stds before:", std.numpy().round(3))
print("loop == broadcast; after: every channel has mean 0 and std 1; "
      "de-normalising recovers the input")

fig, axes = plt.subplots(1, 2, figsize=(6, 3.5), sharey=True, label=(
    "Per-channel pixel histograms: before normalisation the red, green and blue "
    "channels have different centres and spreads; after normalisation the three "
    "histograms overlap, centred on 0"
))
for c, name in enumerate("RGB"):
    axes[0].hist(images[:, c].flatten(), bins=40, histtype="step", label=name)
    axes[1].hist(normalised[:, c].flatten(), bins=40, histtype="step", label=name)
axes[0].set_title("before: pixel / 255")
axes[1].set_title("after: (x - mean) / std")
for ax in axes:
    ax.set_xlabel("value")
axes[0].set_ylabel("pixel count")
axes[1].legend()
fig.tight_layout()

# %% With the ImageNet constants the output is not in [-1, 1]
MEAN, STD = torch.tensor([0.485, 0.456, 0.406]), torch.tensor([0.229, 0.224, 0.225])
lo, hi = (0 - MEAN) / STD, (1 - MEAN) / STD
print("normalised black:", lo.numpy().round(3), " white:", hi.numpy().round(3))
assert torch.allclose(lo, torch.tensor([-2.118, -2.036, -1.804]), atol=1e-3)
assert torch.allclose(hi, torch.tensor([2.249, 2.429, 2.640]), atol=1e-3)
print("same statistics for 0-255 pixels: mean", (MEAN * 255).numpy().round(3),
      "std", (STD * 255).numpy().round(3))
assert torch.allclose(MEAN * 255, torch.tensor([123.675, 116.28, 103.53]))
# mean = std = 0.5 is the transform that maps [0, 1] onto [-1, 1]
assert torch.equal((torch.tensor([0.0, 1.0]) - 0.5) / 0.5, torch.tensor([-1.0, 1.0]))
