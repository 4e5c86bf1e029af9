# %% Uniform 3x3 kernels: the input gradient is a binomial-like bump, not a box
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(0)


def centre_gradient(layers, N, batch=1):
    """Mean |d out[centre] / d input| over a batch of random N x N inputs."""
    w = layers[0].weight
    x = torch.randn(batch, w.shape[1], N, N, dtype=w.dtype, requires_grad=True)
    out = nn.Sequential(*layers)(x)
    out[:, :, N // 2, N // 2].sum().backward()
    return x.grad.abs().mean((0, 1))


def mass_side(g, share=0.95):
    """Side of the smallest centred square that holds `share` of the gradient."""
    total, c = g.sum(), g.shape[0] // 2
    return next(2 * h + 1 for h in range(c + 1)
                if g[c - h : c + h + 1, c - h : c + h + 1].sum() >= share * total)


box = torch.full((1, 1, 3, 3), 1 / 9, dtype=torch.float64)
sides = {}
for n in (4, 8, 16, 32):
    layers = [nn.Conv2d(1, 1, 3, padding=1, bias=False).double() for _ in range(n)]
    for layer in layers:
        layer.weight.data = box
    N = 2 * n + 17  # larger than the theoretical field 2n + 1
    g = centre_gradient(layers, N)
    row = np.polynomial.polynomial.polypow([1, 1, 1], n) / 3.0**n  # (1+z+z^2)^n/3^n
    ref = torch.from_numpy(np.outer(row, row))
    c = N // 2
    assert torch.allclose(g[c - n : c + n + 1, c - n : c + n + 1], ref), (
        "gradient = n-fold convolution of the box (trinomial coefficients)")
    profile = g.sum(1) / g.sum()  # share of the gradient in each input row
    offsets = torch.arange(N, dtype=torch.float64) - c
    std = (profile * offsets**2).sum().sqrt().item()
    assert abs(std - (2 * n / 3) ** 0.5) < 1e-9, "variance adds: n x 2/3 per axis"
    sides[n] = mass_side(g)
    print(f"{n:2d} layers: theoretical side {2 * n + 1:2d}, std {std:.2f}, "
          f"95% of the gradient within side {sides[n]:2d} "
          f"({sides[n] / (2 * n + 1):.0%})")
    if n == 16:
        uniform_erf, t, uniform_row, uniform_std = g, offsets, profile, std
ratio = sides[32] / sides[8]
print(f"32 vs 8 layers: theoretical side x{65 / 17:.2f}, 95% side x{ratio:.2f} "
      f"(sqrt(4) = 2)")
assert abs(ratio - 2) < 0.2, "the effective field grows like sqrt(depth)"
gauss = torch.exp(-(t**2) / (2 * uniform_std**2)) / (2 * torch.pi) ** 0.5 / uniform_std
gap = ((uniform_row - gauss).abs().max() / uniform_row.max()).item()
print(f"16 layers: the profile is within {gap:.1%} of its peak of a Gaussian")
assert gap < 0.02, "the uniform stack's profile is close to Gaussian"

# %% Random Kaiming-uniform weights with ReLU (PyTorch's default init), 16 layers
torch.manual_seed(0)
layers = []
for n_in in [1] + [8] * 15:
    layers += [nn.Conv2d(n_in, 8, 3, padding=1), nn.ReLU()]
N = 49
erf = centre_gradient(layers[:-1], N, batch=8)  # end on the conv, not on the ReLU
trf = 33  # 16 layers of 3x3
c, h = N // 2, trf // 4  # the central square of side 17, about 1/4 of the area
inner = (erf[c - h : c + h + 1, c - h : c + h + 1].sum() / erf.sum()).item()
area = (2 * h + 1) ** 2 / trf**2
print(f"ReLU net: the central {2 * h + 1}x{2 * h + 1} square, {area:.0%} of the "
      f"theoretical field's area, holds {inner:.0%} of the mean |gradient|")
outside = erf.clone()
outside[c - 16 : c + 17, c - 16 : c + 17] = 0
assert erf.sum() > 0 and not outside.any(), "nothing outside the theoretical field"
assert inner > 2 * area, "in this run, the gradient crowds into the middle"

fig, axes = plt.subplots(1, 3, figsize=(10, 3.4), label=(
    "Left and middle: input-gradient heat maps of one output of a 16-layer stack of "
    "3x3 convolutions, with the 33x33 theoretical receptive field outlined; the "
    "uniform-weight stack gives a round bump and the random ReLU network a noisier "
    "one, both bright only in the middle. Right: the uniform stack's profile "
    "along one axis lies on a Gaussian curve and is near zero well inside the "
    "theoretical field's edges"))
win = slice(c - 24, c + 25)
for ax, img, title in [(axes[0], uniform_erf, "uniform 1/9 kernels"),
                       (axes[1], erf, "random init + ReLU")]:
    ax.imshow(img[win, win].numpy(), extent=(-24.5, 24.5, 24.5, -24.5))
    ax.add_patch(plt.Rectangle((-16.5, -16.5), 33, 33, fill=False, ls="--"))
    ax.set(title=title, xlabel="input column offset", ylabel="input row offset")
axes[2].plot(t, uniform_row, "o", ms=3, label="gradient (row sums)")
axes[2].plot(t, gauss, label=f"Gaussian, std {uniform_std:.2f}")
axes[2].set_xlim(-24.5, 24.5)
axes[2].axvspan(-16.5, 16.5, alpha=0.1, label="theoretical field")
axes[2].set(xlabel="input offset", ylabel="share of gradient", title="profile")
axes[2].legend(fontsize=7)
fig.tight_layout()
