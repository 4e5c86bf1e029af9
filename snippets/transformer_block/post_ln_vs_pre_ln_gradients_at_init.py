# %% Gradient of each layer's FFN weight at initialisation, post-LN vs pre-LN
import math
import torch
import torch.nn as nn
import torch.nn.functional as F
import matplotlib.pyplot as plt

d, h, d_ff, n, B, V = 64, 4, 256, 16, 4, 100  # width, heads, FFN, tokens, batch, vocab


def first_backward(L, pre_ln, seed=0, xavier=True):
    """One forward and backward pass of an L-layer stack, as at step 0."""
    torch.manual_seed(seed)
    layers = [nn.TransformerEncoderLayer(d, h, d_ff, dropout=0.0, batch_first=True,
                                         norm_first=pre_ln) for _ in range(L)]
    for layer in layers:  # Xavier, as nn.Transformer and Xiong et al. initialise
        for w in layer.parameters():
            if w.dim() > 1 and xavier:
                nn.init.xavier_uniform_(w)
    x = torch.randn(B, n, d)  # embedded tokens with unit variance
    head = torch.randn(V, d) / math.sqrt(d)  # a fixed output layer over V classes
    stream = [x.pow(2).mean().item()]  # mean square of the residual stream
    for layer in layers:
        x = layer(x)
        stream.append(x.pow(2).mean().item())
    if pre_ln:  # pre-LN models normalise once more before the output layer
        x = F.layer_norm(x, (d,))
    target = torch.randint(V, (B, n))
    F.cross_entropy((x @ head.T).flatten(0, 1), target.flatten()).backward()
    return [layer.linear2.weight.grad.norm().item() for layer in layers], stream


L = 12
post, stream_post = first_backward(L, pre_ln=False)
pre, stream_pre = first_backward(L, pre_ln=True)
top_bottom = lambda g: sum(g[-4:]) / sum(g[:4])  # last 4 layers over first 4
print("layer      " + " ".join(f"{i:5d}" for i in range(1, L + 1)))
print("post-LN  " + " ".join(f"{g:5.2f}" for g in post))
print("pre-LN   " + " ".join(f"{g:5.2f}" for g in pre))
print(f"last 4 / first 4 layers: post-LN {top_bottom(post):.2f}, "
      f"pre-LN {top_bottom(pre):.2f}")
# At this size the ratio itself moves with the random draw (below 1 for some seeds); the
# comparisons asserted here held for every seed tried (0 to 7).
assert top_bottom(post) > 1.5 * top_bottom(pre), "post-LN: larger near the output"
assert top_bottom(pre) < 1.0, "pre-LN: no growth towards the output"
post_default = first_backward(L, pre_ln=False, xavier=False)[0]  # the layer as it comes
print(f"post-LN with the layer's own init (no Xavier): {top_bottom(post_default):.2f}")
assert top_bottom(post_default) < min(1.1, top_bottom(post)), "growth needs Xavier here"

print("residual stream mean square after layer 0, 4, 8, 12: post-LN "
      + ", ".join(f"{stream_post[i]:.2f}" for i in (0, 4, 8, 12)) + "; pre-LN "
      + ", ".join(f"{stream_pre[i]:.2f}" for i in (0, 4, 8, 12)))
# post-LN: every layer ends in a LayerNorm with gain 1, so the mean square is 1
assert all(abs(s - 1) < 1e-3 for s in stream_post[1:]), "post-LN: reset to 1"
assert all(b > a for a, b in zip(stream_pre, stream_pre[1:])), "pre-LN: grows"
assert stream_pre[-1] > 5 * stream_pre[0], "pre-LN: over 5x after 12 layers"

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4), label=(
    "Left: gradient norm of each layer's second FFN weight at initialisation in a "
    "12-layer stack; post-LN rises towards the output layer, pre-LN falls by "
    "about half. "
    "Right: mean square of the residual stream after each layer; post-LN stays "
    "at 1, pre-LN grows steadily to about 10"))
layers = range(1, L + 1)
ax1.plot(layers, post, "o-", label="post-LN")
ax1.plot(layers, pre, "s-", label="pre-LN")
ax1.set(xlabel="layer", ylabel="‖∂loss/∂W₂‖ at init")
ax2.plot(range(L + 1), stream_post, "o-", label="post-LN")
ax2.plot(range(L + 1), stream_pre, "s-", label="pre-LN")
ax2.set(xlabel="after layer", ylabel="residual stream mean square")
for ax in (ax1, ax2):
    ax.legend(fontsize=8)
fig.tight_layout()

# %% The last layer's gradient against depth: the ratio grows like sqrt(L)
depths, seeds = [2, 4, 8, 16], range(3)
last = {pre_ln: [sum(first_backward(D, pre_ln, s)[0][-1] for s in seeds) / len(seeds)
                 for D in depths] for pre_ln in (False, True)}
ratio = [a / b for a, b in zip(last[False], last[True])]
for D, a, b, r in zip(depths, last[False], last[True], ratio):
    print(f"L={D:2d}: last-layer gradient post-LN {a:.3f}, pre-LN {b:.3f}, "
          f"ratio {r:.2f}, ratio / sqrt(L) {r / math.sqrt(D):.2f}")
slope = math.log(ratio[-1] / ratio[0]) / math.log(depths[-1] / depths[0])
print(f"log-log slope of the ratio against L: {slope:.2f} (bounds of Theorem 1: 0.5)")
assert all(b < a for a, b in zip(last[True], last[True][1:])), "pre-LN: falls with L"
assert max(last[False]) < 1.5 * min(last[False]), "post-LN: about the same at every L"
assert 0.3 < slope < 0.8, "the ratio grows roughly like sqrt(L)"
