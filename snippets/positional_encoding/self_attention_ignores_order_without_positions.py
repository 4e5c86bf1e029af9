# %% A transformer layer without positional information
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
n, d = 6, 16
layer = nn.TransformerEncoderLayer(d, nhead=4, dim_feedforward=32, dropout=0.0,
                                   batch_first=True).eval()
x = torch.randn(1, n, d)  # token embeddings, no positions added
perm = torch.randperm(n)

with torch.inference_mode():
    y, y_perm = layer(x), layer(x[:, perm])
# permutation-equivariant: shuffling the tokens only shuffles the outputs, so any
# order-free summary of the outputs (a mean, a max) is the same for both orders
assert torch.allclose(y_perm, y[:, perm], atol=1e-5), "layer(x[perm]) == layer(x)[perm]"
print(f"permutation {perm.tolist()}: layer(x[perm]) == layer(x)[perm]")

# %% Adding a position-dependent vector breaks the symmetry
pos = torch.arange(n)[:, None]
freq = torch.exp(-math.log(10000.0) * torch.arange(0, d, 2) / d)
pe = torch.zeros(n, d)
pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * freq), torch.cos(pos * freq)
with torch.inference_mode():
    z, z_perm = layer(x + pe), layer(x[:, perm] + pe)
assert not torch.allclose(z_perm, z[:, perm], atol=1e-3), "positions break the symmetry"
print("with sinusoidal positions: max |layer(x[perm]+pe) - layer(x+pe)[perm]| = "
      f"{(z_perm - z[:, perm]).abs().max():.2f}")

# %% A causal mask also breaks it (decoder-only models see order through the mask)
causal = nn.Transformer.generate_square_subsequent_mask(n)
with torch.inference_mode():
    c = layer(x, src_mask=causal, is_causal=True)
    c_perm = layer(x[:, perm], src_mask=causal, is_causal=True)
assert not torch.allclose(c_perm, c[:, perm], atol=1e-3), "a causal mask breaks it"
print("with a causal mask: layer(x[perm]) != layer(x)[perm]")

# %% How a causal model can count: uniform attention to a marked first token
# Equal scores (q = 0) make each query average the values it may see. If only the
# first token (a BOS marker) has value 1, query i reads 1 / (i + 1): its position.
q, k = torch.zeros(1, n, 4), torch.randn(1, n, 4)
v = torch.zeros(1, n, 1)
v[0, 0] = 1.0  # the marker
read = F.scaled_dot_product_attention(q, k, v, is_causal=True).flatten()
assert torch.allclose(read, 1 / (torch.arange(n) + 1.0)), "causal: reads 1/(i+1)"
full = F.scaled_dot_product_attention(q, k, v).flatten()
assert torch.allclose(full, torch.full((n,), 1 / n)), "no mask: every query reads 1/n"
print("causal, what query i reads:", [round(r, 3) for r in read.tolist()])
print("no mask, what query i reads:", [round(r, 3) for r in full.tolist()])
