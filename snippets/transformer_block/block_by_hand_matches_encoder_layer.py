# %% A transformer block written out, against nn.TransformerEncoderLayer
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
d, h, d_ff, B, n = 64, 4, 256, 2, 10  # width, heads, FFN width, batch, tokens

def mha(x, p):  # multi-head self-attention with the layer's own weights
    q, k, v = (x @ p["self_attn.in_proj_weight"].T
               + p["self_attn.in_proj_bias"]).chunk(3, dim=-1)
    heads = lambda t: t.unflatten(-1, (h, d // h)).transpose(-3, -2)  # (B, h, n, d/h)
    q, k, v = heads(q), heads(k), heads(v)
    weights = (q @ k.transpose(-2, -1) / math.sqrt(d // h)).softmax(-1)
    mixed = (weights @ v).transpose(-3, -2).flatten(-2)  # heads side by side again
    return mixed @ p["self_attn.out_proj.weight"].T + p["self_attn.out_proj.bias"]

def ffn(x, p):  # position-wise: the same two-layer MLP on every token
    hidden = torch.relu(x @ p["linear1.weight"].T + p["linear1.bias"])
    return hidden @ p["linear2.weight"].T + p["linear2.bias"]

def norm(x, p, name):
    return F.layer_norm(x, (d,), p[name + ".weight"], p[name + ".bias"], eps=1e-5)

def block(x, p, norm_first):
    if norm_first:  # pre-LN: normalise the input of each sub-layer
        x = x + mha(norm(x, p, "norm1"), p)
        return x + ffn(norm(x, p, "norm2"), p)
    x = norm(x + mha(x, p), p, "norm1")  # post-LN: normalise after each sum
    return norm(x + ffn(x, p), p, "norm2")

x = torch.randn(B, n, d)
for norm_first in (False, True):
    layer = nn.TransformerEncoderLayer(d, h, d_ff, dropout=0.0, batch_first=True,
                                       norm_first=norm_first)
    with torch.no_grad():  # at init biases are 0 and norm gains 1: move them all,
        for q in layer.parameters():  # or a missing bias or gain would go unnoticed
            q.add_(0.1 * torch.randn_like(q))
    p = {k: t.detach().clone() for k, t in layer.state_dict().items()}  # a copy
    mine, ref = block(x, p, norm_first), layer(x)  # training mode: the Python path
    with torch.no_grad():
        fast = layer.eval()(x)  # eval + no_grad: the fused fast path
    assert torch.allclose(mine, ref, atol=1e-5), f"norm_first={norm_first}: Python"
    assert torch.allclose(mine, fast, atol=1e-5), f"norm_first={norm_first}: fast"
    print(f"norm_first={norm_first!s:5}  max |by hand - layer|: "
          f"{(mine - ref).abs().max():.1e} (train), {(mine - fast).abs().max():.1e} "
          "(eval fast path)")

# %% Where the parameters are: 4d^2 + 2 d d_ff in matrices, plus biases and norms
closed_form = lambda d, d_ff: (
    4 * d * d + 4 * d,  # attention: W_Q, W_K, W_V, W_O and their biases
    2 * d * d_ff + d_ff + d,  # FFN: two matrices and two biases
    2 * 2 * d)  # two LayerNorms, a gain and a bias per feature each
numel = {}
for d_, h_, d_ff_ in [(d, h, d_ff), (768, 12, 3072)]:  # this demo, GPT-2-small sized
    layer = nn.TransformerEncoderLayer(d_, h_, d_ff_, device="meta")  # no memory
    parts, numel[d_] = closed_form(d_, d_ff_), sum(map(torch.numel, layer.parameters()))
    assert numel[d_] == sum(parts), "closed form == sum of numel"
    print(f"d={d_}, d_ff={d_ff_}: {numel[d_]:,} parameters = " + " + ".join(
        f"{name} {k:,} ({k / numel[d_]:.2%})"
        for name, k in zip(["attention", "FFN", "norms"], parts)))
gpt2_small = 12 * numel[768] + 50257 * 768 + 1024 * 768 + 2 * 768  # + embeddings, ln_f
print(f"12 such layers + token and position embeddings + final norm: {gpt2_small:,}"
      f"; the embeddings are {(50257 + 1024) * 768 / gpt2_small:.1%} of it")

# %% FLOPs per token: 2 per weight-matrix parameter, plus 4 n d for the scores
from torch.utils.flop_counter import FlopCounterMode
import matplotlib.pyplot as plt

def counted(fn, *args):
    with FlopCounterMode(display=False) as counter:
        fn(*args)
    return counter.get_total_flops()

n, matrices = 128, 4 * d * d + 2 * d * d_ff  # weights multiplied by activations
x = torch.randn(1, n, d, requires_grad=True)
per_token = counted(block, x, p, True) / n
assert per_token == 2 * matrices + 4 * n * d, "2 * matrix params + 4 n d, exactly"
print(f"hand block, n={n}: {per_token:,.0f} FLOPs/token = 2 x {matrices:,} + 4 n d "
      f"({4 * n * d:,}, {4 * n * d / per_token:.0%}); "
      f"2 x all {numel[d]:,} parameters = {2 * numel[d]:,}")
p_train = {k: t.clone().requires_grad_() for k, t in p.items()}  # weights get grads
backward = counted(lambda: block(x, p_train, True).sum().backward()) / n - per_token
assert backward == 2 * per_token, "backward: two matmuls for each forward matmul"
print(f"forward + backward: {(per_token + backward) / per_token:.0f}x the forward")
layer = nn.TransformerEncoderLayer(d, h, d_ff, dropout=0.0, batch_first=True)
missed = counted(layer, x) / n
assert missed == 2 * matrices, "CPU: SDPA's kernel has no FLOP formula, counted as 0"
with torch.no_grad():
    assert counted(layer.eval(), x) == 0, "the fused eval fast path counts nothing"
print(f"nn.TransformerEncoderLayer on CPU: {missed:,.0f} FLOPs/token counted "
      "(attention products missing); eval fast path: 0")

# %% Which part dominates, by context length, for a GPT-2-small-sized block
d, h, d_ff = 768, 12, 3072  # block() reads these globals
p = nn.TransformerEncoderLayer(d, h, d_ff, device="meta").state_dict()  # shapes only
proj, mlp, lengths = 8 * d * d, 4 * d * d_ff, [256, 512, 1024, 2048, 4096, 8192]
scores = [4 * m * d for m in lengths]  # QK^T and AV, dense
assert counted(block, torch.empty(1, 1024, d, device="meta"), p, True) / 1024 == (
    proj + mlp + scores[2]), "at d = 768 too, the parts add up to the counter's total"
share, half = {m: s / (proj + mlp + s) for m, s in zip(lengths, scores)}, proj + mlp
print("score-product share of a block's FLOPs:", ", ".join(
    f"n={m}: {v:.0%}" for m, v in share.items()) + f"; half at n = {half / 4 / d:g}")
assert share[4096] < 0.5 < share[8192], "attention products pass half at n = 6d"

fig, ax = plt.subplots(figsize=(6.5, 3.4), label=(
    "Stacked bars of forward FLOPs per token of a block with d 768 and d_ff 3072 "
    "at context lengths 256 to 8192: the FFN and the four projections stay the "
    "same, the attention score products grow linearly with length and pass half "
    "of the total beyond n = 6d = 4608 tokens"))
idx = range(len(lengths))
ax.bar(idx, [mlp] * len(lengths), label="FFN (2 x 2 d d_ff)")
ax.bar(idx, [proj] * len(lengths), bottom=mlp, label="Q, K, V, O projections (2 x 4d²)")
ax.bar(idx, scores, bottom=proj + mlp, label="QKᵀ and AV (4 n d)")
ax.set_xticks(list(idx), [str(m) for m in lengths])
ax.set(xlabel="context length n", ylabel="forward FLOPs per token")
ax.legend(fontsize=8)
fig.tight_layout()
