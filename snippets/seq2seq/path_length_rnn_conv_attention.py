# %% How many nonlinear steps lie between input x_1 and output y_n?
import math
import torch
import torch.nn.functional as F
import matplotlib.pyplot as plt

torch.manual_seed(0)
d, k = 4, 3  # width; convolution kernel size
lengths = [2, 4, 8, 16, 32, 64]
dt = torch.float64

def nonlinear_steps(out, leaf):
    """Most tanh/softmax nodes on any autograd path from out back to leaf."""
    memo = {}
    def walk(fn):
        if fn is None:
            return None
        if fn not in memo:
            if getattr(fn, "variable", None) is leaf:
                memo[fn] = 0
            else:
                subs = [s for f, _ in fn.next_functions if (s := walk(f)) is not None]
                bump = fn.name() in ("TanhBackward0", "SoftmaxBackward0")
                memo[fn] = max(subs) + bump if subs else None
        return memo[fn]
    return walk(out.grad_fn)

W_ih, W_hh = torch.randn(2, d, d, dtype=dt) / d**0.5
W_q, W_k, W_v = torch.randn(3, d, d, dtype=dt) / d**0.5
rnn_steps, attn_steps = [], []
for n in lengths:
    xs = [torch.randn(1, d, dtype=dt, requires_grad=True) for _ in range(n)]
    h = torch.zeros(1, d, dtype=dt)
    for x_t in xs:  # an Elman RNN: one tanh per step, each waits for the last
        h = torch.tanh(x_t @ W_ih + h @ W_hh)
    rnn_steps.append(nonlinear_steps(h, xs[0]))
    X = torch.cat(xs)  # (n, d): one self-attention layer over all positions
    A = ((X @ W_q) @ (X @ W_k).T / d**0.5).softmax(-1)
    y = A @ (X @ W_v)
    attn_steps.append(nonlinear_steps(y[-1], xs[0]))
print("n:              ", lengths)
print("RNN steps:      ", rnn_steps)
print("attention steps:", attn_steps)
assert rnn_steps == lengths, "RNN: x_1 reaches h_n through n tanh steps"
assert attn_steps == [1] * len(lengths), "self-attention: one softmax, for any n"

# %% Causal convolutions: count the layers until y_n can see x_1
def receptive_fields(base, layers, n=128):
    """Stack causal conv layers (dilation base**i); after each, find how many
    input positions the last output depends on, from autograd's gradient."""
    x = torch.randn(1, d, n, dtype=dt, requires_grad=True)
    h, fields = x, {}
    for i in range(1, max(layers) + 1):
        dil = base ** (i - 1)
        w = torch.randn(d, d, k, dtype=dt) / (d * k) ** 0.5
        h = torch.tanh(F.conv1d(F.pad(h, ((k - 1) * dil, 0)), w, dilation=dil))
        if i in layers:
            (g,) = torch.autograd.grad(h[0, :, -1].sum(), x, retain_graph=True)
            fields[i] = n - (g[0].abs().sum(0) != 0).nonzero().min().item()
    return fields

conv_layers = [math.ceil((n - 1) / (k - 1)) for n in lengths]  # Table 1: O(n/k)
dil_layers = [min(i for i in range(9) if k**i >= n) for n in lengths]  # O(log_k n)
for name, base, need in (("contiguous", 1, conv_layers), ("dilated", k, dil_layers)):
    fields = receptive_fields(base, {m for L in need for m in (L - 1, L) if m})
    print(f"{name}, k={k}: receptive field after L layers", sorted(fields.items()))
    for n, L in zip(lengths, need):  # L layers reach x_1 from y_n; L - 1 do not
        assert fields[L] >= n > fields.get(L - 1, 1), f"{name}: {L} layers for n={n}"
print("conv layers:    ", conv_layers, "\ndilated layers: ", dil_layers)

fig, ax = plt.subplots(figsize=(6.2, 3.6), label=(
    "Number of sequential nonlinear steps between input 1 and output n, against "
    "n from 2 to 64 on log axes: the RNN needs n steps, a stack of causal "
    "convolutions with kernel 3 needs about n/2 layers, dilated convolutions need "
    "log base 3 of n layers (1 to 4), and one self-attention layer needs 1 for "
    "every n"))
for ys, style, name in [(rnn_steps, "o-", "RNN: n steps"),
                        (conv_layers, "s-", "causal conv, k=3: ⌈(n-1)/2⌉ layers"),
                        (dil_layers, "^-", "dilated conv: ⌈log₃ n⌉ layers"),
                        (attn_steps, "D-", "self-attention: 1 layer")]:
    ax.plot(lengths, ys, style, label=name)
ax.set(xscale="log", yscale="log", xlabel="distance n (output y_n, input x_1)",
       ylabel="sequential nonlinear steps")
ax.minorticks_off()
ax.set_xticks(lengths, [str(n) for n in lengths])
ax.set_yticks([1] + lengths, [str(n) for n in [1] + lengths])
ax.legend(fontsize=8)
fig.tight_layout()
