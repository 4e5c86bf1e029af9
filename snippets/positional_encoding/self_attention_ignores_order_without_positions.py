# %% A transformer layer without positional information
import math
import torch
import torch.nn as nn

torch.manual_seed(0)
n, d = 6, 16
layer = nn.TransformerEncoderLayer(d, nhead=4, dim_feedforward=32, dropout=0.0,
                                   batch_first=True).eval()
x = torch.randn(1, n, d)  # token embeddings, no positions added
perm = torch.randperm(n)

with torch.inference_mode():
    y, y_perm = layer(x), layer(x[:, perm])
# permutation-equivariant: shuffling the tokens only shuffles the outputs
assert torch.allclose(y_perm, y[:, perm], atol=1e-5)
# so any order-free summary (e.g. mean pooling) cannot tell the two orders apart
assert torch.allclose(y_perm.mean(1), y.mean(1), atol=1e-5)
print(f"permutation {perm.tolist()}: layer(x[perm]) == layer(x)[perm]")

# %% Adding a position-dependent vector breaks the symmetry
pos = torch.arange(n)[:, None]
freq = torch.exp(-math.log(10000.0) * torch.arange(0, d, 2) / d)
pe = torch.zeros(n, d)
pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * freq), torch.cos(pos * freq)
with torch.inference_mode():
    z, z_perm = layer(x + pe), layer(x[:, perm] + pe)
assert not torch.allclose(z_perm, z[:, perm], atol=1e-3)
print("with sinusoidal positions: max |layer(x[perm]+pe) - layer(x+pe)[perm]| = "
      f"{(z_perm - z[:, perm]).abs().max():.2f}")

# %% A causal mask also breaks it (decoder-only models see order through the mask)
causal = nn.Transformer.generate_square_subsequent_mask(n)
with torch.inference_mode():
    c = layer(x, src_mask=causal, is_causal=True)
    c_perm = layer(x[:, perm], src_mask=causal, is_causal=True)
assert not torch.allclose(c_perm, c[:, perm], atol=1e-3)
print("with a causal mask: layer(x[perm]) != layer(x)[perm]")
