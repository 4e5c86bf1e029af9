# %% A two-layer tanh RNN written as a loop, against nn.RNN with the same weights
import torch
from torch import nn

torch.manual_seed(0)
T, B, D, H = 30, 4, 3, 8  # time steps, batch, input size, hidden size
rnn = nn.RNN(D, H, num_layers=2, dtype=torch.float64)
x = torch.randn(T, B, D, dtype=torch.float64)
p = dict(rnn.named_parameters())

def step(layer, inp, h):
    """One Elman step: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)."""
    return torch.tanh(inp @ p[f"weight_ih_l{layer}"].T + p[f"bias_ih_l{layer}"]
                      + h @ p[f"weight_hh_l{layer}"].T + p[f"bias_hh_l{layer}"])

h = [torch.zeros(B, H, dtype=torch.float64) for _ in range(2)]
outs = []
for t in range(T):  # the same weights at every step: the network unrolled in time
    h[0] = step(0, x[t], h[0])
    h[1] = step(1, h[0], h[1])  # layer 2 reads layer 1's state at the same step
    outs.append(h[1])
out_ref, h_n = rnn(x)
print("output:", tuple(out_ref.shape), " h_n:", tuple(h_n.shape))
print(f"max |loop - nn.RNN|: {(torch.stack(outs) - out_ref).abs().max():.1e}")
assert torch.allclose(torch.stack(outs), out_ref), "the loop is nn.RNN"
assert torch.allclose(torch.stack(h), h_n), "h_n holds each layer's last state"

# %% Backpropagation through time, written out, against autograd
cell = nn.RNN(D, H, dtype=torch.float64)  # one layer; loss on every output
W_hh, W_ih = cell.weight_hh_l0, cell.weight_ih_l0
target = torch.randn(T, B, H, dtype=torch.float64)
hs, _ = cell(x)
loss = 0.5 * (hs - target).pow(2).sum()
loss.backward()

def bptt(hs, cuts=()):
    """Walk back from t = T-1 to 0 by hand. cuts: steps whose incoming state was
    detached, so no gradient flows from step t back into step t - 1."""
    hs = hs.detach()
    g_hh, g_ih, g_x = torch.zeros_like(W_hh), torch.zeros_like(W_ih), []
    carry = torch.zeros(B, H, dtype=torch.float64)  # dL/dh_t from later steps
    for t in reversed(range(T)):
        dh = (hs[t] - target[t]) + carry  # its own loss term + the later steps
        da = dh * (1 - hs[t] ** 2)  # through tanh
        h_prev = hs[t - 1] if t > 0 else torch.zeros(B, H, dtype=torch.float64)
        g_hh += da.T @ h_prev  # one term per time step: the weight is shared
        g_ih += da.T @ x[t]
        g_x.append(da @ W_ih.detach())
        carry = torch.zeros_like(carry) if t in cuts else da @ W_hh.detach()
    return g_hh, g_ih, torch.stack(g_x[::-1])

g_hh, g_ih, _ = bptt(hs)
print(f"max |hand-written - autograd|: W_hh {(g_hh - W_hh.grad).abs().max():.1e},"
      f" W_ih {(g_ih - W_ih.grad).abs().max():.1e}")
assert torch.allclose(g_hh, W_hh.grad) and torch.allclose(g_ih, W_ih.grad), (
    "BPTT: the recurrent gradient is the sum of the per-step terms")

# %% Truncated BPTT: carry the state across chunks, detach it every k steps
k = 10
xr = x.clone().requires_grad_()
cell.zero_grad()
state, chunks = torch.zeros(1, B, H, dtype=torch.float64), []
for s in range(0, T, k):  # one backward (and, in training, one step) per chunk
    state = state.detach()  # keep the value, cut the graph
    out, state = cell(xr[s:s + k], state)
    chunks.append(out)
    (0.5 * (out - target[s:s + k]).pow(2).sum()).backward()
assert torch.equal(torch.cat(chunks), hs), "same forward values as the full run"
want_hh, _, want_x = bptt(hs, cuts=range(k, T, k))
rel = (cell.weight_hh_l0.grad - g_hh).norm() / g_hh.norm()
print(f"W_hh gradient, truncated (k = {k}) vs full BPTT: relative difference "
      f"{rel:.3f}")
assert torch.allclose(cell.weight_hh_l0.grad, want_hh), "detach = BPTT cut every k"
assert torch.allclose(xr.grad, want_x), "input gradients stop at the chunk boundary"
assert rel > 1e-3, "truncation changes the gradient"

state = torch.zeros(1, B, H, dtype=torch.float64)
try:  # the same loop without .detach()
    for s in range(0, T, k):
        out, state = cell(x[s:s + k], state)
        (0.5 * (out - target[s:s + k]).pow(2).sum()).backward()
    raise AssertionError("expected an error on the second chunk")
except RuntimeError as err:
    print("without detach, chunk 2:", str(err).split(".")[0])
    assert "backward through the graph a second time" in str(err), "freed graph"
