# %% Count the FLOPs of one self-attention layer and the size of its n x n matrix
import matplotlib.pyplot as plt
import numpy as np
import torch
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)
d = 64  # model width (one head, to keep it simple)
W_qkv, W_o = torch.randn(d, 3 * d) / d**0.5, torch.randn(d, d) / d**0.5
W_1, W_2 = torch.randn(d, 4 * d) / d**0.5, torch.randn(4 * d, d) / d**0.5  # 4x MLP


lengths = [32, 64, 128, 256, 512, 1024]
rows = []
print("    n    core FLOPs   layer FLOPs  n x n matrix bytes  core share of block")
for n in lengths:
    x = torch.randn(n, d)
    # FlopCounterMode counts the FLOPs of the matmuls run inside each block
    with FlopCounterMode(display=False) as proj:
        q, k, v = (x @ W_qkv).chunk(3, dim=-1)  # linear in n
    with FlopCounterMode(display=False) as core:
        weights = (q @ k.T / d**0.5).softmax(-1)  # the n x n matrix
        out = weights @ v
    with FlopCounterMode(display=False) as proj_out:
        y = out @ W_o
    with FlopCounterMode(display=False) as mlp:
        (y @ W_1).relu() @ W_2
    f_core = core.get_total_flops()
    layer = proj.get_total_flops() + f_core + proj_out.get_total_flops()
    share = f_core / (layer + mlp.get_total_flops())  # attention products / block
    matrix_bytes = weights.numel() * weights.element_size()  # n^2 floats of 4 bytes
    rows.append((n, f_core, layer, matrix_bytes, share))
    print(f"{n:5d} {f_core:>13,} {layer:>13,} {matrix_bytes:>19,} {share:>20.2f}")

n, core, layer, mem, share = (np.array(c, dtype=float) for c in zip(*rows))
# the counter's totals match the closed forms of the page
assert np.array_equal(core, 4 * n**2 * d), "QK^T and AV cost 4 n^2 d"
assert np.array_equal(layer, 8 * n * d**2 + 4 * n**2 * d), "layer: 8nd^2 + 4n^2 d"
local = np.diff(np.log(layer)) / np.diff(np.log(n))
print("whole-layer local exponent between neighbouring n:", np.round(local, 2))
# not separate evidence: it follows from the closed form asserted above, since from n
# to 2n 4nd(2d + n) grows by 2 (2d + 2n) / (2d + n), an exponent of
# 1 + log2((2d + 2n) / (2d + n)), strictly between 1 and 2 and rising with n
assert ((local > 1) & (local < 2)).all() and (np.diff(local) > 0).all(), (
    "the layer's exponent rises gradually from near 1 towards 2"
)
# with the MLP (16nd^2) the attention products pass half the block only at n > 6d
assert share[lengths.index(256)] < 0.5 < share[lengths.index(512)], (
    "attention products dominate a whole block only beyond n = 6d = 384"
)

# %% Log-log plot
fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Log-log plot: attention FLOPs and attention-matrix bytes grow with slope 2 in "
    "sequence length; the whole layer's FLOPs curve bends gradually from slope "
    "about 1.3 towards 2"
))
ax.loglog(n, core, "o-", label="attention core FLOPs (QKᵀ, AV)")
ax.loglog(n, layer, "s-", label="whole layer FLOPs (+ projections)")
ax.loglog(n, mem, "^-", label="attention matrix bytes (float32)")
ax.loglog(n, core[0] * (n / n[0]) ** 2, "k--", lw=1, label="slope 2 reference")
ax.set(xlabel="sequence length n", ylabel="FLOPs / bytes")
ax.legend(fontsize=8)
fig.tight_layout()
