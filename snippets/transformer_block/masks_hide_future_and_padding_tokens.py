# %% Causal mask: the output at position t cannot see tokens after t
import warnings
import torch
import torch.nn as nn
import matplotlib.pyplot as plt

torch.manual_seed(0)
d, n, t = 32, 8, 4
layer = nn.TransformerEncoderLayer(d, nhead=4, dim_feedforward=64, dropout=0.0,
                                   batch_first=True)
causal = nn.Transformer.generate_square_subsequent_mask(n)  # 0 on and below the
print(causal[:3, :3])  # diagonal, -inf above it: added to the scores
x = torch.randn(1, n, d)
edited = x.clone()
edited[:, t + 1:] = 5 * torch.randn(1, n - t - 1, d)  # change every later token
same = layer(x, src_mask=causal)[:, : t + 1], layer(edited, src_mask=causal)[:, : t + 1]
seen = layer(x)[:, : t + 1], layer(edited)[:, : t + 1]  # no mask: the baseline
assert torch.equal(*same), "causal: positions <= t are bit-for-bit unchanged"
assert (seen[0] - seen[1]).abs().max() > 0.1, "without the mask they change"
print(f"positions 0..{t} after editing tokens {t + 1}..{n - 1}: max change "
      f"{(same[0] - same[1]).abs().max():.1f} with the causal mask, "
      f"{(seen[0] - seen[1]).abs().max():.2f} without")

try:  # is_causal=True is only a hint about src_mask: in training it needs the mask
    layer(x, is_causal=True)
    raise AssertionError("expected an error for is_causal=True without src_mask")
except RuntimeError as error:
    assert "Need attn_mask" in str(error), "training: the hint needs the mask"
with torch.no_grad():  # eval + no_grad: the fast path accepts the hint alone
    hint_only, unmasked = layer.eval()(x, is_causal=True), layer(x)
    masked = layer(x, src_mask=causal)
layer.train()
print(f"eval, is_causal=True and no mask: max |vs unmasked| "
      f"{(hint_only - unmasked).abs().max():.1f}, vs masked "
      f"{(hint_only - masked).abs().max():.2f}")
assert torch.equal(hint_only, unmasked), "fast path: the hint alone masks nothing"
assert (hint_only - masked).abs().max() > 0.1, "so the future leaks in"

# %% Padding mask: a padded sequence in a batch == the sequence run alone
short = torch.randn(1, 5, d)
junk = 100 * torch.randn(1, n - 5, d)  # whatever sits in the padded slots
batch = torch.cat([torch.randn(1, n, d), torch.cat([short, junk], dim=1)])
pad = torch.arange(n) >= torch.tensor([[n], [5]])  # True = padding (nn convention)
out, alone = layer(batch, src_key_padding_mask=pad), layer(short)
unmasked = layer(batch)
assert torch.allclose(out[1, :5], alone[0], atol=1e-5), "masked == run alone"
assert (unmasked[1, :5] - alone[0]).abs().max() > 0.1, "unmasked: the junk leaks in"
print(f"real tokens of the short sequence vs alone: max difference "
      f"{(out[1, :5] - alone[0]).abs().max():.1e} masked, "
      f"{(unmasked[1, :5] - alone[0]).abs().max():.2f} unmasked")

# what comes out at the padded positions depends on the code path
encoder = nn.TransformerEncoder(layer, num_layers=1).eval()  # nested-tensor path
with torch.no_grad(), warnings.catch_warnings():
    warnings.simplefilter("ignore")  # "nested tensors are in prototype stage"
    nested = encoder(batch, src_key_padding_mask=pad)
print(f"mean |output| at padded slots: layer {out[1, 5:].abs().mean():.2f}, "
      f"TransformerEncoder in eval {nested[1, 5:].abs().mean():.2f}")
assert out[1, 5:].abs().min() > 0 and torch.equal(nested[1, 5:], torch.zeros(3, d)), (
    "padded slots: non-zero values from the layer, exact zeros from the encoder")
assert torch.allclose(nested[1, :5], alone[0], atol=1e-5), "real tokens agree"

# %% Causal + padding: with left padding, the first queries have no key at all
def allowed(pad_row):  # True = may attend: causal AND the key is not padding
    return ~torch.ones(n, n, dtype=torch.bool).triu(1) & ~pad_row[None, :]


right, left = torch.arange(n) >= 5, torch.arange(n) < 3  # 3 pads at the end / start
fig, axes = plt.subplots(1, 3, figsize=(9, 3.2), label=(
    "Three 8 by 8 grids of which keys each query may attend to (black = allowed): "
    "causal only is a "
    "lower triangle; causal with 3 pads at the end removes the last 3 columns; "
    "causal with 3 pads at the start removes the first 3 columns, so the first "
    "3 rows have no allowed key"))
for ax, (name, pad_row) in zip(axes, [("causal", torch.zeros(n, dtype=torch.bool)),
                                      ("+ right padding", right),
                                      ("+ left padding", left)]):
    ax.imshow(allowed(pad_row), cmap="Greys")
    ax.set(title=name, xlabel="key", ylabel="query")
fig.tight_layout()
empty = (~allowed(left).any(-1)).nonzero().flatten().tolist()
print("left padding + causal: queries with no allowed key:", empty)
assert empty == [0, 1, 2], "exactly the padded queries"
assert allowed(right).any(-1).all(), "right padding leaves every query a key"
