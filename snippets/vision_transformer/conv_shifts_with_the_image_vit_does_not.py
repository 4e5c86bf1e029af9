# %% Without position embeddings the encoder is permutation-equivariant
import torch
from torch import nn

torch.manual_seed(0)
C, S, P, D = 3, 32, 8, 32  # channels, image side, patch size, width
G = S // P  # a 4 x 4 grid of patches
f64 = dict(dtype=torch.float64)
yy, xx = torch.meshgrid(torch.arange(S), torch.arange(S), indexing="ij")
img = torch.zeros(1, C, S, S, **f64)  # shapes on a black background
img[0, 0] = ((xx - 9) ** 2 + (yy - 12) ** 2 < 30).double()
img[0, 1, 18:27, 14:29] = 1.0
img[0, 2] = ((xx + yy > 30) & (xx + yy < 36) & (xx < 20)).double()

embed = nn.Conv2d(C, D, P, stride=P, **f64)  # the patch embedding
with torch.no_grad():  # a random table, as large as the patch tokens, stands in
    scale = embed(img).std()  # for a learned one
pos = scale * torch.randn(1, G * G, D, **f64)
block = nn.TransformerEncoderLayer(D, 4, 64, dropout=0.0, batch_first=True,
                                   norm_first=True, **f64).eval()

def vit(x, use_pos):
    """Patch embedding (+ positions) and one encoder block: (1, G*G, D) tokens."""
    t = embed(x).flatten(2).transpose(1, 2)
    return block(t + pos if use_pos else t)

with torch.no_grad():
    t = embed(img).flatten(2).transpose(1, 2)
    perm = torch.randperm(G * G)
    eq_bare = (block(t[:, perm]) - block(t)[:, perm]).abs().max().item()
    eq_pos = (block(t[:, perm] + pos) - (block(t + pos))[:, perm]).abs().max().item()
print(f"shuffle the patches, no positions: |out(shuffled) - shuffled out| = "
      f"{eq_bare:.1e}")
print(f"shuffle the patches, positions added by slot: {eq_pos:.2f}")
assert eq_bare < 1e-12, "the encoder alone is permutation-equivariant"
assert eq_pos > 0.1, "position embeddings break the symmetry"

# %% Shift the image: the conv's output shifts with it, the ViT's does not
import matplotlib.pyplot as plt

convnet = nn.Sequential(  # circular padding: no borders, so any shift is exact
    nn.Conv2d(C, D, 3, padding=1, padding_mode="circular", **f64), nn.ReLU(),
    nn.Conv2d(D, D, 3, padding=1, padding_mode="circular", **f64))
strided = nn.Sequential(convnet[0], nn.ReLU(),  # the same, with stride 2 at the end
    nn.Conv2d(D, D, 3, stride=2, padding=1, padding_mode="circular", **f64))

def rel(a, b):
    return ((a - b).norm() / b.norm()).item()

def best(out, ref, n):  # the error of the best-matching shift of the output grid
    return min(rel(out, torch.roll(ref, k, dims=-1)) for k in range(n))

shifts = range(0, 2 * P + 1)
names = ["CNN, stride 1 (two 3x3 convs)", "CNN, second conv stride 2",
         "ViT, no positions", "ViT + position embeddings"]
err = {name: [] for name in names}
with torch.no_grad():
    ref_cnn, ref_s2 = convnet(img), strided(img)
    ref = {u: vit(img, u).transpose(1, 2).reshape(1, D, G, G) for u in (False, True)}
    for s in shifts:
        moved = torch.roll(img, s, dims=-1)  # s pixels to the right, wrapping
        err[names[0]].append(rel(convnet(moved), torch.roll(ref_cnn, s, dims=-1)))
        err[names[1]].append(best(strided(moved), ref_s2, S // 2))
        for use_pos, name in [(False, names[2]), (True, names[3])]:
            grid = vit(moved, use_pos).transpose(1, 2).reshape(1, D, G, G)
            err[name].append(best(grid, ref[use_pos], G))
for name, e in err.items():
    print(f"{name:29s} relative error at shift 0, 1, 2, 8 px: "
          + ", ".join(f"{e[s]:.1e}" for s in (0, 1, 2, 8)))
cnn, s2, bare, withpos = err.values()
print(f"over all {len(shifts)} shifts: stride-1 CNN at most {max(cnn):.1e}; stride 2 "
      f"at least {min(s2[1::2]):.2f} at odd shifts; ViT + positions at least "
      f"{min(withpos[1:]):.2f} for every shift but 0")
assert max(cnn) < 1e-12, "stride-1 conv: a shifted input, an exactly shifted output"
assert all((s2[s] < 1e-12) == (s % 2 == 0) for s in shifts), (
    "stride 2: equivariant only for shifts by multiples of the stride")
assert all((bare[s] < 1e-12) == (s % P == 0) for s in shifts), (
    "no positions: equivariant only for shifts by whole patches")
assert min(withpos[1:]) > 0.05, "with positions: no shift of the tokens matches"

fig, ax = plt.subplots(figsize=(6.5, 3.4), label=(
    "Relative equivariance error against horizontal shift from 0 to 16 pixels, log "
    "scale: the stride-1 CNN stays at rounding level for every shift; the CNN "
    "whose second convolution has stride 2 drops to rounding level only at even "
    "shifts; the ViT without position embeddings drops to rounding level only at "
    "shifts of 0, 8 and 16 "
    "pixels, whole patches, and is large in between; the ViT with position "
    "embeddings is large for every shift except 0"))
for (name, e), style in zip(err.items(), ["o-", "d:", "s--", "^-"]):
    ax.semilogy(list(shifts), [max(v, 1e-17) for v in e], style, label=name)
ax.set(xlabel="shift of the input (pixels)", ylabel="relative error",
       xticks=list(range(0, 2 * P + 1, 2)))
ax.legend(fontsize=8)
fig.tight_layout()
