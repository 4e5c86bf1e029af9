# %% The sinusoidal encoding of Vaswani et al. (2017)
import math
import matplotlib.pyplot as plt
import torch

n_pos, d = 128, 64


def sinusoidal(positions, d):
    freq = torch.exp(-math.log(10000.0) * torch.arange(0, d, 2) / d)  # 1 ... 1/10000
    angles = positions[:, None].float() * freq  # (n, d/2)
    # sin, cos interleaved
    return torch.stack([angles.sin(), angles.cos()], dim=-1).flatten(1)


pe = sinusoidal(torch.arange(n_pos), d)
for width in (d, 512):  # pair i turns by w_i = 10000^(-2i/width) per position
    w = torch.exp(-math.log(10000.0) * torch.arange(0, width, 2) / width)
    print(f"d = {width}: periods 2 pi / w_i from {2 * math.pi / w[0]:.2f} to "
          f"{2 * math.pi / w[-1]:,.0f} positions")
print(f"the limit for a wide model, 2 pi * 10000: {2 * math.pi * 1e4:,.0f} positions")
fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Heatmap of the sinusoidal positional encoding: low dimensions oscillate quickly "
    "along the positions, high dimensions change slowly, so every position gets a "
    "distinct pattern"
))
im = ax.imshow(pe.T, aspect="auto", cmap="RdBu", vmin=-1, vmax=1)
ax.set(xlabel="position", ylabel="encoding dimension")
fig.colorbar(im, ax=ax)
fig.tight_layout()

# %% Shifting by k is a fixed rotation, whatever the position
k = 5
freq = torch.exp(-math.log(10000.0) * torch.arange(0, d, 2) / d)
c, s = torch.cos(k * freq), torch.sin(k * freq)
R = torch.block_diag(*[torch.tensor([[ci, si], [-si, ci]]) for ci, si in zip(c, s)])
assert torch.allclose(pe[k:], pe[:-k] @ R.T, atol=1e-4), (
    "PE(p + k) = R_k PE(p) for every p"
)
print(f"PE(p + {k}) = R_{k} @ PE(p) for all p, with one {d}x{d} rotation R_{k}")

# %% Similarity depends only on the offset: a fast drop, then a slow one
sim = pe @ pe.T / (d / 2)  # cosine similarity: every encoding has norm sqrt(d/2)
offsets = torch.arange(0, 64)
closed_form = torch.cos(offsets[:, None] * freq).mean(1)  # mean_i cos(k w_i)
fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Cosine similarity between sinusoidal encodings of positions p and p+k against the "
    "offset k: the curves for p = 0, 20 and 60 lie on top of each other, drop fast "
    "from 1 to about 0.7 over the first 8 offsets, then fall only slowly, with "
    "ripples, to about 0.45 at offset 63"
))
for p, style in ((0, "-"), (20, "--"), (60, ":")):
    ax.plot(offsets, sim[p, p + offsets], style, lw=2.5, label=f"p = {p}")
    assert torch.allclose(sim[p, p + offsets], closed_form, atol=1e-4), (
        "PE(p).PE(p+k) / (d/2) = mean_i cos(k w_i) for every p: it depends on k only"
    )
ax.set(xlabel="offset k", ylabel="cos(PE(p), PE(p+k))")
ax.legend()
fig.tight_layout()
assert (sim[0, :6].diff() < 0).all() and sim[0, 1:].argmax() == 0, (
    "nearest positions most similar: offset 1 beats every larger offset"
)
early, late = sim[0, 0] - sim[0, 8], sim[0, 16] - sim[0, 63]
print(f"similarity lost: {early:.2f} over offsets 0..8, {late:.2f} over 16..63")
assert late < early, "the 47 steps 16..63 lose less similarity than the 8 steps 0..8"
assert (sim[0, 16:64].diff() > 0).any(), "ripples: it rises again at some offsets"
slow = (64 * freq < 1).sum().item()
print(f"{slow} of {d // 2} frequency pairs turn by less than one radian over 64 "
      "positions")
print("similarity to position 0 at offsets 0, 1, 2, 4, 8, 16, 32, 63:",
      [round(sim[0, o].item(), 2) for o in (0, 1, 2, 4, 8, 16, 32, 63)])
