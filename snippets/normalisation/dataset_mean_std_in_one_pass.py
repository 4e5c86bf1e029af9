# %% Per-channel mean and std of your own data set, streamed batch by batch
import torch

torch.manual_seed(0)
channel_mean = torch.tensor([0.6, 0.5, 0.3]).view(1, 3, 1, 1)


def photo_batch(n=8):  # each image gets its own exposure, like real photos
    exposure = torch.rand(n, 1, 1, 1) * 0.4 - 0.2
    return (torch.rand(n, 3, 24, 24) * 0.5 + channel_mean - 0.25 + exposure).clamp(0, 1)


batches = [photo_batch() for _ in range(25)]

count = 0
total = torch.zeros(3, dtype=torch.float64)
total_sq = torch.zeros(3, dtype=torch.float64)
for batch in batches:  # in practice: for batch, _ in DataLoader(dataset, ...)
    b = batch.double()  # float64 keeps sum of squares from losing precision
    count += b.numel() // 3
    total += b.sum(dim=(0, 2, 3))
    total_sq += (b * b).sum(dim=(0, 2, 3))
mean = total / count
std = torch.sqrt(total_sq / count - mean**2)
print("streamed mean:", mean.numpy().round(4), " std:", std.numpy().round(4))

# %% Check against the direct computation on everything at once
everything = torch.cat(batches).double()
direct_mean = everything.mean(dim=(0, 2, 3))
direct_std = everything.std(dim=(0, 2, 3), unbiased=False)
assert torch.allclose(mean, direct_mean) and torch.allclose(std, direct_std)
print("matches direct computation over", count, "pixels per channel")

# %% Averaging per-image stds is another statistic: it ignores between-image variation
per_image_std = everything.std(dim=(2, 3), unbiased=False).mean(0)
print("mean of per-image stds:", per_image_std.numpy().round(4))
assert torch.all(per_image_std <= std)
