# %% An LSTM step by hand: PyTorch stacks the gates in the order i, f, g, o
import copy
import torch
from torch import nn

torch.manual_seed(0)
T, B, D, H = 20, 4, 3, 8
x = torch.randn(T, B, D, dtype=torch.float64)
lstm = nn.LSTM(D, H, dtype=torch.float64)
W_ih, W_hh = lstm.weight_ih_l0, lstm.weight_hh_l0  # (4H, D) and (4H, H)
b = lstm.bias_ih_l0 + lstm.bias_hh_l0  # in an LSTM only the sum of the two counts

def lstm_run(order):
    h = c = torch.zeros(B, H, dtype=torch.float64)
    outs = []
    for t in range(T):
        z = dict(zip(order, (x[t] @ W_ih.T + h @ W_hh.T + b).chunk(4, dim=1)))
        i, f, o = z["i"].sigmoid(), z["f"].sigmoid(), z["o"].sigmoid()
        g = z["g"].tanh()  # the candidate, in (-1, 1)
        c = f * c + i * g  # additive: the old cell is scaled by f, not by a matrix
        h = o * c.tanh()
        outs.append(h)
    return torch.stack(outs), c

ref, (h_n, c_n) = lstm(x)
for order in ("ifgo", "ifog"):
    out, c = lstm_run(order)
    same = torch.allclose(out, ref) and torch.allclose(c, c_n[0])
    print(f"gate order {order}: max |hand - nn.LSTM| = {(out - ref).abs().max():.1e}")
    assert same == (order == "ifgo"), "nn.LSTM's rows are input, forget, cell, output"

# %% A GRU step by hand: PyTorch applies the reset gate after the matrix product
gru = nn.GRU(D, H, dtype=torch.float64)
Wi, Wh = gru.weight_ih_l0, gru.weight_hh_l0  # (3H, D), (3H, H): rows r, z, n
bi, bh = gru.bias_ih_l0, gru.bias_hh_l0

def gru_run(reset_after):
    h, outs = torch.zeros(B, H, dtype=torch.float64), []
    for t in range(T):
        xr, xz, xn = (x[t] @ Wi.T + bi).chunk(3, dim=1)
        hr, hz, hn = (h @ Wh.T + bh).chunk(3, dim=1)
        r, z = (xr + hr).sigmoid(), (xz + hz).sigmoid()
        if reset_after:  # PyTorch (and cuDNN): r * (W_hn h + b_hn)
            n = (xn + r * hn).tanh()
        else:  # Cho et al. (2014): W_hn (r * h) + b_hn
            n = (xn + (r * h) @ Wh[2 * H:].T + bh[2 * H:]).tanh()
        h = (1 - z) * n + z * h  # z near 1 keeps the old state
        outs.append(h)
    return torch.stack(outs)

ref, _ = gru(x)
for reset_after in (True, False):
    diff = (gru_run(reset_after) - ref).abs().max()
    print(f"reset {'after' if reset_after else 'before'} the product: "
          f"max |hand - nn.GRU| = {diff:.1e}")
    assert (diff < 1e-12) == reset_after, (
        "nn.GRU: h = (1 - z) n + z h, reset applied after W_hn h, not before")

def merged(module, rows):  # move b_hh[rows] into b_ih[rows]: the same sum b_ih + b_hh
    m = copy.deepcopy(module)
    with torch.no_grad():
        m.bias_ih_l0[rows] += m.bias_hh_l0[rows]
        m.bias_hh_l0[rows] = 0.0
    return (m(x)[0] - module(x)[0]).abs().max().item()

moved = {"LSTM, all rows": merged(lstm, slice(None)),
         "GRU, rows r and z": merged(gru, slice(0, 2 * H)),
         "GRU, rows n": merged(gru, slice(2 * H, 3 * H))}
print("b_hh moved into b_ih, max output change: " + ", ".join(
    f"{k} {v:.1e}" for k, v in moved.items()))
assert max(moved["LSTM, all rows"], moved["GRU, rows r and z"]) < 1e-12, (
    "LSTM and the GRU's r, z rows: only b_ih + b_hh counts")
assert moved["GRU, rows n"] > 1e-3, "GRU: b_hn sits inside r * (W_hn h + b_hn)"

# %% Parameter counts: one set of (W_ih, W_hh, b_ih, b_hh) per gate block
D, H = 32, 64
per_block = H * D + H * H + 2 * H
for name, module, blocks in [("RNN", nn.RNN(D, H), 1), ("GRU", nn.GRU(D, H), 3),
                             ("LSTM", nn.LSTM(D, H), 4)]:
    count = sum(q.numel() for q in module.parameters())
    print(f"{name:4s} input {D}, hidden {H}: {count:6,d} parameters "
          f"= {blocks} x {per_block:,d}")
    assert count == blocks * per_block, f"{name}: {blocks} x (H D + H^2 + 2 H)"
