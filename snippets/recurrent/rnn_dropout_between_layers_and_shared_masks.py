# %% nn.LSTM(dropout=p): ordinary dropout on the outputs of every layer but the last
import warnings
import torch
from torch import nn
import torch.nn.functional as F
import matplotlib.pyplot as plt

torch.manual_seed(0)
T, B, D, H, p = 40, 8, 4, 16, 0.5
x = torch.randn(T, B, D)
deep = nn.LSTM(D, H, num_layers=2, dropout=p)  # module is in training mode
layers = [nn.LSTM(D, H), nn.LSTM(H, H)]  # the same weights, one layer each
for k, layer in enumerate(layers):
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        getattr(layer, f"{name}_l0").data = getattr(deep, f"{name}_l{k}").data

torch.manual_seed(1)
out, (h_n, _) = deep(x)
torch.manual_seed(1)  # the same random numbers for the hand-written version
mid, (h1, _) = layers[0](x)
dropped = F.dropout(mid, p)  # a fresh element-wise mask for every t, b and unit
top, (h2, _) = layers[1](dropped)
assert torch.equal(out, top), "nn.LSTM = layer 1, F.dropout, layer 2, no dropout"
assert torch.equal(h_n, torch.cat([h1, h2])), "h_n: layer 1's state, undropped"
mask = dropped != 0
change = (mask[1:] != mask[:-1]).float().mean()
print(f"between layers: {1 - mask.float().mean():.3f} of the activations dropped; "
      f"a unit's mask changes between consecutive steps {change:.1%} of the time")
assert 0.4 < change < 0.6, "a new mask at every time step (about 2 p (1 - p))"
assert not torch.equal(out, deep.eval()(x)[0]), "in train mode the output differs"

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    single = nn.LSTM(D, H, dropout=p)
said = [str(w.message) for w in caught if "num_layers greater than 1" in str(w.message)]
assert said, "dropout > 0 with one layer warns"
print("1 layer, dropout=0.5:", said[0])
assert torch.equal(single(x)[0], single.eval()(x)[0]), "and has no dropout to apply"

# %% Variational dropout (Gal & Ghahramani): one mask per sequence, reused each step
lstm = nn.LSTM(D, H)
W_ih, W_hh = lstm.weight_ih_l0, lstm.weight_hh_l0
bias = lstm.bias_ih_l0 + lstm.bias_hh_l0
keep = lambda n: torch.bernoulli(torch.full((B, n), 1 - p)) / (1 - p)
m_x, m_h = keep(D), keep(H)  # sampled once, before the loop
h = c = torch.zeros(B, H)
outs = []
for t in range(T):  # the same units of x_t and of h_(t-1) are dropped at every t
    i, f, g, o = ((x[t] * m_x) @ W_ih.T + (h * m_h) @ W_hh.T + bias).chunk(4, 1)
    c = f.sigmoid() * c + i.sigmoid() * g.tanh()
    h = o.sigmoid() * c.tanh()
    outs.append(h)
outs = torch.stack(outs)
for b in range(B):  # = nn.LSTM whose input and recurrent columns are masked
    masked = {"weight_ih_l0": W_ih * m_x[b], "weight_hh_l0": W_hh * m_h[b]}
    ref, _ = torch.func.functional_call(lstm, masked, (x[:, b:b + 1],))
    assert torch.allclose(outs[:, b], ref[:, 0], atol=1e-6), (
        "a mask shared over time = dropping weight columns for the whole sequence")
print(f"checked {B} sequences: each equals nn.LSTM with its own columns of W_ih "
      f"and W_hh dropped")

locked = F.dropout1d(mid.detach().permute(1, 2, 0), p)  # (B, H, T): whole rows
zero_steps = (locked == 0).sum(2)  # per (sequence, unit): how many steps are zero
assert ((zero_steps == 0) | (zero_steps == T)).all(), "dropout1d: all steps or none"
print(f"F.dropout1d on (batch, hidden, time): {(zero_steps == T).float().mean():.3f}"
      f" of the units are dropped at all {T} steps, the rest at none")

fig, axes = plt.subplots(1, 2, figsize=(8, 3), sharey=True, label=(
    "Two dropout masks for one sequence, time step across and hidden unit down, "
    "dark where a unit is dropped. Left, nn.LSTM between layers: a new random "
    "pattern at every step. Right, variational dropout: the same units are dropped "
    "at every step, so the mask is horizontal stripes"))
masks = [mask[:, 0].T, (m_h[0] == 0)[:, None].expand(H, T)]
for ax, m, title in zip(axes, masks, ["nn.LSTM(dropout=0.5)", "variational"]):
    ax.imshow(m, cmap="Greys", aspect="auto", interpolation="nearest")
    ax.set(title=title, xlabel="time step")
axes[0].set_ylabel("hidden unit")
fig.tight_layout()

# %% Weight drop (Merity et al.): DropConnect on W_hh, one mask per forward pass
raw = lstm.weight_hh_l0.detach().clone().requires_grad_()
dropped_w = F.dropout(raw, p)  # shared by every sequence and every step
out, _ = torch.func.functional_call(lstm, {"weight_hh_l0": dropped_w}, (x,))
out.sum().backward()
gone = dropped_w == 0
assert 0.4 < gone.float().mean() < 0.6, "about p of the entries are dropped"
assert (raw.grad[gone] == 0).all() and (raw.grad[~gone] != 0).all(), (
    "dropped weights get no gradient in this pass; kept ones do")
print(f"weight drop: {gone.float().mean():.3f} of W_hh's entries dropped; "
      f"their gradient is {raw.grad[gone].abs().max():.1f}")
