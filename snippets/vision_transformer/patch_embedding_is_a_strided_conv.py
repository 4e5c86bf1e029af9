# %% Cut an image into P x P patches, flatten, project: the same as a strided conv
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
B, C, H, W, P, D = 2, 3, 32, 32, 8, 48  # batch, channels, size, patch size, width
yy, xx = torch.meshgrid(torch.linspace(-1, 1, H), torch.linspace(-1, 1, W),
                        indexing="ij")
disc = ((xx - 0.3) ** 2 + (yy + 0.2) ** 2 < 0.25).double()
img = torch.stack([disc, (torch.sin(6 * xx) > 0).double(), (yy + 1) / 2])
x = torch.stack([img, img.flip(-1)])  # (B, C, H, W): a synthetic picture, mirrored

def patchify(x, P):
    """(B, C, H, W) -> (B, N, C*P*P): raster order of patches, (c, row, col) inside."""
    b, c, h, w = x.shape
    x = x.reshape(b, c, h // P, P, w // P, P).permute(0, 2, 4, 1, 3, 5)
    return x.reshape(b, (h // P) * (w // P), c * P * P)

patches = patchify(x, P)
N = (H // P) * (W // P)
assert torch.equal(patches, F.unfold(x, P, stride=P).transpose(1, 2)), (
    "reshape/permute cuts the same patches as F.unfold")
proj = nn.Linear(C * P * P, D, dtype=torch.float64)
conv = nn.Conv2d(C, D, kernel_size=P, stride=P, dtype=torch.float64)
with torch.no_grad():  # the same weights, viewed as D filters of shape (C, P, P)
    conv.weight.copy_(proj.weight.view(D, C, P, P))
    conv.bias.copy_(proj.bias)
    by_linear = proj(patches)  # (B, N, D)
    by_conv = conv(x).flatten(2).transpose(1, 2)  # (B, D, H/P, W/P) -> (B, N, D)
    wrong = proj(x.reshape(B, C, H // P, P, W // P, P).permute(0, 2, 4, 3, 5, 1)
                 .reshape(B, N, -1))  # flattened (row, col, c): channels last
gap = (by_linear - by_conv).abs().max().item()
gap_wrong = (wrong - by_conv).abs().max().item()
print(f"patches: {tuple(patches.shape)}, tokens: {tuple(by_conv.shape)}, N = {N}")
print(f"max |Linear(patches) - Conv2d(k={P}, s={P})|: {gap:.1e}")
print(f"same weights, patches flattened channels-last: max gap {gap_wrong:.2f}")
assert torch.allclose(by_linear, by_conv, rtol=0, atol=1e-12), "linear = conv"
assert gap_wrong > 0.1, "the flatten order must match the weight layout (C, P, P)"

cls = torch.zeros(1, 1, D, dtype=torch.float64)  # learned in a real model
pos = 0.02 * torch.randn(1, N + 1, D, dtype=torch.float64)  # learned 1-D table
tokens = torch.cat([cls.expand(B, -1, -1), by_conv], dim=1) + pos
print(f"with the class token and position embeddings: {tuple(tokens.shape)}")
assert tokens.shape == (B, H * W // P**2 + 1, D), "N + 1 = HW / P^2 + 1 tokens"

# %% The image with its patch grid, and the token matrix the encoder receives
import matplotlib.pyplot as plt

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.6), label=(
    "Left: a 32 by 32 synthetic image with a disc, two broad vertical green bands "
    "and a blue gradient from top to bottom, cut by grid lines into 16 patches of 8 "
    "by 8 pixels, numbered 0 to 15 in raster order. Right: the 17 by 48 token "
    "matrix, one row per token: row 0 is the class token, rows 1 to 16 the "
    "projected patches plus position embeddings"))
ax1.imshow(x[0].permute(1, 2, 0).clamp(0, 1).numpy())
for k in range(1, H // P):
    ax1.axhline(k * P - 0.5, color="white", lw=1.5)
    ax1.axvline(k * P - 0.5, color="white", lw=1.5)
for n in range(N):
    r, c = divmod(n, W // P)
    ax1.text(c * P + 0.5, r * P + 0.5, str(n), ha="left", va="top",
             color="#ff00ff", fontsize=9, fontweight="bold")
ax1.set(title=f"{N} patches of {P}x{P}", xticks=[], yticks=[])
im = ax2.imshow(tokens[0].numpy(), aspect="auto", cmap="RdBu_r")
ax2.set(title=f"tokens: ({N} + 1) x {D}", xlabel="embedding dimension",
        ylabel="token (0 = class)")
fig.colorbar(im, ax=ax2)
fig.tight_layout()

# %% Tokens and attention cost against patch size; odd sizes; a new resolution
from torch.utils.flop_counter import FlopCounterMode

S, d, d_vit = 224, 64, 768  # image side; width measured here; ViT-Base width
img224 = torch.rand(1, C, S, S)
print("FLOPs of the two L x L products, counted at d = 64, scaled to d = 768:")
print(" P  tokens L  score entries L^2  GFLOPs at 768  x (P=16)  share of layer")
for P in (32, 16, 14, 8):
    emb = nn.Conv2d(C, d, P, stride=P)
    with torch.no_grad():
        t = emb(img224).flatten(2).transpose(1, 2)  # (1, N, d)
        t = torch.cat([torch.zeros(1, 1, d), t], dim=1)  # + class token
        L = t.shape[1]
        with FlopCounterMode(display=False) as counter:  # PyTorch counts 2mkp
            scores = t @ t.transpose(1, 2) / d**0.5  # stands in for Q K^T
            mixed = scores.softmax(-1) @ t  # weights @ V
        flops = counter.get_total_flops()
    assert L == (S // P) ** 2 + 1 and scores.shape == (1, L, L), "L = (S/P)^2 + 1"
    assert flops == 4 * L**2 * d, "two L x L x d products: 4 L^2 d FLOPs"
    big = flops * d_vit / d  # the count is linear in d
    ratio = big / (4 * ((S // 16) ** 2 + 1) ** 2 * d_vit)
    share = big / (big + 24 * L * d_vit**2)  # + QKVO (8 L d^2), MLP (16 L d^2)
    print(f"{P:2d} {L:9d} {L * L:18,d} {big / 1e9:14.2f} {ratio:9.2f} "
          f"{share:14.1%}")

odd = torch.rand(1, C, 230, 230)  # 230 is not a multiple of 16
emb16 = nn.Conv2d(C, 8, 16, stride=16)
with torch.no_grad():
    edited = odd.clone()
    edited[..., 224:, :] = edited[..., :, 224:] = 0.5  # change only the last 6 px
    same = torch.equal(emb16(odd), emb16(edited))
print(f"230 x 230, P = 16: grid {tuple(emb16(odd).shape[-2:])}; the last {230 - 224} "
      f"rows and columns are ignored: {same}")
assert same, "Conv2d(k = s = 16) silently drops the pixels past the last patch"
# A table linear in (row, col) on the 14 x 14 grid (224 px, P = 16); resized to 24 x 24
a, b = torch.randn(2, 8, dtype=torch.float64)
at = lambda m: torch.linspace(0, 13, m, dtype=torch.float64)  # rows/cols, old units
lin = lambda u: (u[:, None, None] * a + u[None, :, None] * b).reshape(1, -1, 8)
table = torch.cat([torch.randn(1, 1, 8, dtype=torch.float64), lin(at(14))], dim=1)
grid = table[:, 1:].reshape(1, 14, 14, 8).permute(0, 3, 1, 2)
grid = F.interpolate(grid, size=(24, 24), mode="bilinear", align_corners=True)
new = torch.cat([table[:, :1], grid.permute(0, 2, 3, 1).reshape(1, 576, 8)], dim=1)
flat = F.interpolate(table[:, 1:].transpose(1, 2), size=576, mode="linear",
                     align_corners=True).transpose(1, 2)  # the sequence resized in 1-D
err2d, err1d = ((t - lin(at(24))).abs().max().item() for t in (new[:, 1:], flat))
print(f"fine-tune at 384 px: position table {table.shape[1]} -> {new.shape[1]} rows; "
      f"off its (row, col) rule by {err2d:.1e} in 2-D, by {err1d:.1f} in 1-D")
assert new.shape[1] == (384 // 16) ** 2 + 1, "one row per patch at the new size"
assert err2d < 1e-9, "resized in 2-D, each new row lands at its (row, col) on the grid"
assert err1d > 1, "resized as a 1-D sequence, the rows of the grid run into each other"
