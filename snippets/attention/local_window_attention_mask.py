# %% Global, causal and local (sliding-window) attention masks
import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
n, w = 12, 2  # sequence length, window radius
i, j = torch.arange(n)[:, None], torch.arange(n)[None, :]
masks = {
    "global": torch.ones(n, n, dtype=torch.bool),
    "causal": j <= i,
    f"local, |i-j| <= {w}": (i - j).abs() <= w,
}

fig, axes = plt.subplots(1, 3, figsize=(6, 2.6), label=(
    "Three boolean attention masks for 12 tokens: global allows every pair, causal "
    "allows the lower triangle, local allows a diagonal band of width 5"
))
for ax, (name, m) in zip(axes, masks.items()):
    ax.imshow(m, cmap="Greys", vmin=0, vmax=1)
    ax.set(title=name, xlabel="key j", xticks=[], yticks=[])
axes[0].set_ylabel("query i")
fig.tight_layout()

# %% A local mask makes each output depend only on its window
band = masks[f"local, |i-j| <= {w}"]
q, k, v = (torch.randn(1, n, 8) for _ in range(3))
out = F.scaled_dot_product_attention(q, k, v, attn_mask=band)  # True = may attend
k2, v2 = k.clone(), v.clone()
k2[:, 9:], v2[:, 9:] = torch.randn(1, 3, 8), torch.randn(1, 3, 8)  # change tokens 9..11
out2 = F.scaled_dot_product_attention(q, k2, v2, attn_mask=band)
assert torch.allclose(out[:, : 9 - w], out2[:, : 9 - w]), (
    "outputs 0..6 never see tokens 9..11"
)
changed = [r for r in range(n) if not torch.allclose(out[:, r], out2[:, r])]
assert changed == list(range(9 - w, n)), "each of outputs 7..11 changes"
print(f"changing tokens 9..11 changes outputs {changed} only")
# pairs kept by the band, counted from the mask vs the closed form n(2w+1) - w(w+1)
assert band.sum() == n * (2 * w + 1) - w * (w + 1), "band keeps n(2w+1) - w(w+1)"
print("pairs at larger n (closed forms, not counted):")
for L in (1_000, 10_000, 100_000):
    local_pairs = L * (2 * w + 1) - w * (w + 1)
    print(f"n={L:>7,}: global pairs {L * L:>14,}   local pairs {local_pairs:>9,}")

# %% Careful: boolean masks mean opposite things in the two APIs
# float masks agree in both
additive = torch.zeros(n, n).masked_fill(~band, float("-inf"))
sdpa_float = F.scaled_dot_product_attention(q, k, v, attn_mask=additive)
assert torch.allclose(out, sdpa_float), "SDPA: bool True = float 0 (may attend)"
mha = nn.MultiheadAttention(8, num_heads=2, batch_first=True)
y_bool, _ = mha(q, k, v, attn_mask=~band)  # nn.MultiheadAttention: True = NOT allowed
y_float, _ = mha(q, k, v, attn_mask=additive)
assert torch.allclose(y_bool, y_float, atol=1e-6), "MHA: bool True = float -inf"
print("F.scaled_dot_product_attention: True = attend;  "
      "nn.MultiheadAttention: True = masked out")
