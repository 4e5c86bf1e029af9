# %% Count FLOPs and attention-matrix bytes of one self-attention layer
import matplotlib.pyplot as plt
import numpy as np
import torch
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)
d = 64  # model width (one head, to keep it simple)
W_qkv, W_o = torch.randn(d, 3 * d) / d**0.5, torch.randn(d, d) / d**0.5
lengths = [32, 64, 128, 256, 512, 1024]
rows = []
print("    n    core FLOPs   layer FLOPs  n x n matrix bytes")
for n in lengths:
    x = torch.randn(n, d)
    with FlopCounterMode(display=False) as proj:
        q, k, v = (x @ W_qkv).chunk(3, dim=-1)  # linear in n
    with FlopCounterMode(display=False) as core:
        weights = (q @ k.T / d**0.5).softmax(-1)  # the n x n matrix
        out = weights @ v
    with FlopCounterMode(display=False) as proj_out:
        out @ W_o
    layer = proj.get_total_flops() + core.get_total_flops() + proj_out.get_total_flops()
    matrix_bytes = weights.numel() * weights.element_size()
    rows.append((n, core.get_total_flops(), layer, matrix_bytes))
    print(f"{n:5d} {rows[-1][1]:>13,} {layer:>13,} {rows[-1][3]:>19,}")

n, core, layer, mem = (np.array(c, dtype=float) for c in zip(*rows))
slope = lambda y: np.polyfit(np.log(n), np.log(y), 1)[0]
print(f"fitted exponents: core FLOPs {slope(core):.2f}, matrix bytes {slope(mem):.2f}")
assert abs(slope(core) - 2) < 0.01 and abs(slope(mem) - 2) < 0.01
assert np.array_equal(core, 4 * n**2 * d)
assert np.array_equal(layer, 8 * n * d**2 + 4 * n**2 * d)
# whole layer: linear part dominates short n
local = np.diff(np.log(layer)) / np.diff(np.log(n))
print(f"whole-layer local exponent: {local[0]:.2f} at short n -> "
      f"{local[-1]:.2f} at n=1024")
assert local[0] < 1.5 < 1.8 < local[-1]

# %% Log-log plot
fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Log-log plot: attention FLOPs and attention-matrix bytes grow with slope 2 in "
    "sequence length; the whole layer's FLOPs bend from slope 1 to slope 2 once n "
    "exceeds twice the width"
))
ax.loglog(n, core, "o-", label="attention core FLOPs (QKᵀ, AV)")
ax.loglog(n, layer, "s-", label="whole layer FLOPs (+ projections)")
ax.loglog(n, mem, "^-", label="attention matrix bytes (float32)")
ax.loglog(n, core[0] * (n / n[0]) ** 2, "k--", lw=1, label="slope 2 reference")
ax.set(xlabel="sequence length n", ylabel="FLOPs / bytes")
ax.legend(fontsize=8)
fig.tight_layout()
