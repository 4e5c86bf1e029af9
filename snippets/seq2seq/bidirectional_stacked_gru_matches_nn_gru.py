# %% A 2-layer bidirectional GRU by hand, against nn.GRU with the same weights
import torch
from torch import nn

torch.manual_seed(0)
T, B, D, H = 7, 3, 4, 5  # time steps, batch, input size, hidden size per direction
gru = nn.GRU(D, H, num_layers=2, bidirectional=True, dtype=torch.float64)
x = torch.randn(T, B, D, dtype=torch.float64)
p = dict(gru.named_parameters())

def run(name, inputs):
    """One direction of one layer. name is 'l0', 'l0_reverse', 'l1', ..."""
    Wi, Wh = p[f"weight_ih_{name}"], p[f"weight_hh_{name}"]
    bi, bh = p[f"bias_ih_{name}"], p[f"bias_hh_{name}"]
    steps = reversed(range(T)) if name.endswith("reverse") else range(T)
    h, outs = torch.zeros(B, H, dtype=torch.float64), [None] * T
    for t in steps:  # the reverse direction reads x_T first and x_1 last
        xr, xz, xn = (inputs[t] @ Wi.T + bi).chunk(3, dim=1)
        hr, hz, hn = (h @ Wh.T + bh).chunk(3, dim=1)
        r, z = (xr + hr).sigmoid(), (xz + hz).sigmoid()
        h = (1 - z) * (xn + r * hn).tanh() + z * h
        outs[t] = h
    return torch.stack(outs), h

layer_in, finals = x, []
for layer in range(2):
    fwd, h_fwd = run(f"l{layer}", layer_in)
    bwd, h_bwd = run(f"l{layer}_reverse", layer_in)
    layer_in = torch.cat([fwd, bwd], dim=2)  # (T, B, 2H): the next layer's input
    finals += [h_fwd, h_bwd]
out_ref, h_n = gru(x)
print("output:", tuple(out_ref.shape), " h_n:", tuple(h_n.shape),
      " weight_ih_l1:", tuple(gru.weight_ih_l1.shape))
print(f"max |hand - nn.GRU|: output {(layer_in - out_ref).abs().max():.1e}, "
      f"h_n {(torch.stack(finals) - h_n).abs().max():.1e}")
assert torch.allclose(layer_in, out_ref), "output = [forward; reverse] of layer 2"
assert torch.allclose(torch.stack(finals), h_n), (
    "h_n is ordered layer 0 fwd, layer 0 rev, layer 1 fwd, layer 1 rev")

# %% Where each final state sits in h_n and in output
grid = h_n.view(2, 2, B, H)  # (num_layers, num_directions, batch, hidden)
assert torch.equal(grid[1, 0], out_ref[-1, :, :H]), "top forward: last step of output"
assert torch.equal(grid[1, 1], out_ref[0, :, H:]), "top reverse: FIRST step of output"
gap = (grid[1, 1] - out_ref[-1, :, H:]).abs().max()
print(f"top reverse final state vs output[-1, :, H:]: differ by up to {gap:.2f}")
assert gap > 0.01, "output[-1] holds the reverse direction after one token only"

# %% Why a decoder cannot be bidirectional: change only the LAST input token
x_changed = x.clone()
x_changed[-1] += 1.0
for bidirectional in (False, True):
    net = nn.GRU(D, H, bidirectional=bidirectional, dtype=torch.float64)
    moved = (net(x_changed)[0] - net(x)[0]).abs().amax(dim=(1, 2))  # per step
    changed = (moved > 0).sum().item()
    print(f"bidirectional={bidirectional!s:5}: outputs changed at {changed} of {T} "
          f"steps; at step 1 by {moved[0]:.1e}")
    if bidirectional:
        assert changed == T, "every position sees the future token"
    else:
        assert changed == 1 and moved[-1] > 0, "only the last position sees it"
