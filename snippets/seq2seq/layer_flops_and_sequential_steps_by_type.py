# %% FLOPs of one layer of each type, counted on PyTorch's modules, vs closed forms
import torch
from torch import nn
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode
from torch.utils._python_dispatch import TorchDispatchMode

torch.manual_seed(0)
d, k = 64, 3  # width; kernel size
lengths = [16, 32, 64, 128, 256]
mha = nn.MultiheadAttention(d, num_heads=4)  # need_weights=True: counted bmm path
rnn, conv = nn.RNN(d, d), nn.Conv1d(d, d, k, padding=1)
lstm64 = nn.LSTM(d, d, dtype=torch.float64)  # float32 on the CPU: see the last line

def flops(fn):
    with FlopCounterMode(display=False) as counter:
        fn()
    return counter.get_total_flops(), counter.get_flop_counts()["Global"]

rows = []
print("    n   attention   (QK^T, AV)        RNN       LSTM   conv k=3   [MFLOP]")
for n in lengths:
    x = torch.randn(n, 1, d)  # (time, batch = 1, width)
    attn, by_op = flops(lambda: mha(x, x, x))
    core = by_op[torch.ops.aten.bmm]  # the two n x n products
    row = (n, attn, core, flops(lambda: rnn(x))[0],
           flops(lambda: lstm64(x.double()))[0],
           flops(lambda: conv(x.permute(1, 2, 0)))[0])
    rows.append(row)
    print(f"{n:5d}" + "".join(f"{v / 1e6:11.2f}" for v in row[1:]))
    assert attn == 8 * n * d**2 + 4 * n**2 * d, "attention layer: 8nd^2 + 4n^2 d"
    assert core == 4 * n**2 * d, "its core, Table 1's O(n^2 d): 4 n^2 d"
    assert row[3] == 4 * n * d**2, "Elman RNN: 4 n d^2 (W_ih and W_hh)"
    assert row[4] == 16 * n * d**2, "LSTM: four gate blocks, 16 n d^2"
    assert row[5] == 2 * k * n * d**2, "convolution: 2 k n d^2"
for n, attn, core, rnn_f, lstm_f, _ in rows:
    assert (core < rnn_f) == (n < d) and (core == rnn_f) == (n == d), (
        "the attention core is cheaper than the RNN exactly when n < d")
    assert attn > rnn_f, "the whole attention layer costs more than an Elman RNN"
    assert (attn < lstm_f) == (n < 2 * d), "and less than an LSTM only for n < 2d"
print(f"d = {d}: the core equals the RNN at n = d = {d}; the attention layer "
      f"equals the LSTM at n = 2d = {2 * d}")
lstm32 = nn.LSTM(d, d)
lstm32_flops = flops(lambda: lstm32(x))[0]
print("FLOPs FlopCounterMode reports for a float32 nn.LSTM on the CPU:", lstm32_flops)
assert lstm32_flops == 0, "torch 2.13: the fused CPU LSTM kernel counts 0"
q = x.view(n, 1, 4, d // 4).permute(1, 2, 0, 3)  # (batch, heads, n, d / heads), as MHA
sdpa_flops = flops(lambda: F.scaled_dot_product_attention(q, q, q))[0]
fast_mha = flops(lambda: mha(x, x, x, need_weights=False))[0]  # takes the SDPA path
print(f"... for F.scaled_dot_product_attention at n = {n}: {sdpa_flops}; for "
      f"nn.MultiheadAttention(need_weights=False): {fast_mha:,} = 8nd^2")
assert sdpa_flops == 0, "torch 2.13: the CPU SDPA kernel counts 0"
assert fast_mha == 8 * n * d**2, "so need_weights=False counts the projections only"

# %% Sequential steps: how many matrix products each layer issues
class CountMatmuls(TorchDispatchMode):
    names = ("aten.addmm", "aten.mm", "aten.bmm", "aten.convolution")
    def __init__(self):
        super().__init__()
        self.rows = []  # rows of the left-hand matrix of each addmm
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        if str(func.overloadpacket) in self.names:
            self.rows.append(args[1].shape[0] if "addmm" in str(func) else None)
        return func(*args, **(kwargs or {}))

def matmul_calls(fn):
    with CountMatmuls() as counter:
        fn()
    return counter.rows

for n in (16, 64, 256):
    x = torch.randn(n, 1, d)
    rows = [matmul_calls(f) for f in (lambda: rnn(x), lambda: mha(x, x, x),
                                      lambda: conv(x.permute(1, 2, 0)))]
    calls = [len(r) for r in rows]
    print(f"n = {n:3d}: nn.RNN {calls[0]:3d} products, "
          f"nn.MultiheadAttention {calls[1]}, nn.Conv1d {calls[2]}")
    assert rows[0] == [n] + [1] * n, "RNN: W_ih x for all n steps at once, then n"
    assert calls[1:] == [4, 1], "attention and convolution: a fixed number"

# %% Generating token t: an RNN step costs the same; cached attention grows with t
cell = nn.RNNCell(d, d)
W_q, W_k, W_v, W_o = torch.randn(4, d, d) / d**0.5
h, keys, values = torch.zeros(1, d), [], []

def cached_step(x_t):  # project the new token, append it, attend over all t keys
    keys.append(x_t @ W_k)
    values.append(x_t @ W_v)
    K, Vs = torch.cat(keys), torch.cat(values)
    w = ((x_t @ W_q) @ K.T / d**0.5).softmax(-1)
    return (w @ Vs) @ W_o

for t in range(1, 257):
    x_t = torch.randn(1, d)
    if t not in (1, 2, 64, 256):
        h, _ = cell(x_t, h), cached_step(x_t)
        continue
    rnn_cost, _ = flops(lambda: cell(x_t, h))
    attn_cost, _ = flops(lambda: cached_step(x_t))
    h = cell(x_t, h)
    print(f"token {t:3d}: RNN {rnn_cost:,} FLOPs, state {h.numel()} numbers; "
          f"attention {attn_cost:,} FLOPs, cache {2 * len(keys) * d:,} numbers")
    assert rnn_cost == 4 * d**2, "RNN: the same work for every token"
    assert attn_cost == 8 * d**2 + 4 * t * d, "attention: 8 d^2 + 4 t d at step t"
