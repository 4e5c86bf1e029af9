# %% Per-channel mean and std of your own data set, streamed batch by batch
import torch

torch.manual_seed(0)
channel_mean = torch.tensor([0.6, 0.5, 0.3]).view(1, 3, 1, 1)


def photo_batch(n=8, vary=True):  # each image has its own exposure and contrast
    exposure = torch.rand(n, 1, 1, 1) * 0.4 - 0.2
    contrast = torch.rand(n, 1, 1, 1) * 0.8 + 0.1
    if not vary:  # the control: one exposure and one contrast for every image
        exposure, contrast = exposure * 0, torch.full_like(contrast, 0.5)
    noise = (torch.rand(n, 3, 24, 24) - 0.5) * contrast
    return (noise + channel_mean + exposure).clamp(0, 1)


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
assert torch.allclose(mean, direct_mean) and torch.allclose(std, direct_std), \
    "the streamed sums give the same mean and std as the direct computation"
print("matches direct computation over", count, "pixels per channel")

# %% Per-image statistics give smaller numbers: they leave out parts of the spread
def three_stds(images):  # mean of per-image stds, root of mean variance, all-pixel std
    per_image_var = images.var(dim=(2, 3), unbiased=False)  # (images, channels)
    return (per_image_var.sqrt().mean(0), per_image_var.mean(0).sqrt(),
            images.std(dim=(0, 2, 3), unbiased=False))


mean_of_stds, root_mean_var, _ = three_stds(everything)
print("mean of per-image stds:      ", mean_of_stds.numpy().round(4))
print("root of mean per-image var:  ", root_mean_var.numpy().round(4))
print("std over all pixels (above): ", std.numpy().round(4))
# law of total variance: all-pixel variance = within-image + between-image part
between = everything.mean(dim=(2, 3)).var(0, unbiased=False)
assert torch.allclose(std**2, root_mean_var**2 + between), \
    "total variance = mean within-image variance + variance of the image means"
assert torch.all(mean_of_stds < root_mean_var) and torch.all(root_mean_var < std), \
    "here: mean of stds < root of mean variance < all-pixel std"
# control: every image with the same exposure and contrast -> the gaps nearly vanish
alike = torch.cat([photo_batch(vary=False) for _ in range(25)]).double()
a, b, c = three_stds(alike)
print("images alike: mean of stds", a.numpy().round(4), "| root of mean var",
      b.numpy().round(4), "| all-pixel std", c.numpy().round(4))
assert ((c - a) / c).max() < 0.2 * ((std - mean_of_stds) / std).min(), \
    "the gaps come from images differing: without that they shrink over 5-fold"
