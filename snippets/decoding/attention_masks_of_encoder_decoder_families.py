# %% The masks of the three families as boolean "may attend" tensors (True = allowed)
import torch
from torch import nn
import torch.nn.functional as F
import matplotlib.pyplot as plt

torch.manual_seed(0)
n, m, prefix = 6, 4, 3  # decoder length, target length (enc-dec), prefix-LM prefix
i, j = torch.arange(n)[:, None], torch.arange(n)[None, :]  # query row, key column
masks = {
    "encoder (BERT)": torch.ones(n, n, dtype=torch.bool),  # bidirectional
    "decoder (GPT)": j <= i,  # causal: keys up to the query's own position
    "prefix LM": (j <= i) | (j < prefix),  # the prefix is seen by every query
    "cross-attention (T5)": torch.ones(m, n, dtype=torch.bool),  # target -> source
}
ref = nn.Transformer.generate_square_subsequent_mask(n)  # float: 0 or -inf
assert torch.equal(masks["decoder (GPT)"], ref == 0), "causal = PyTorch's mask"

def attend(q, k, v, allowed):  # a second implementation: softmax written out
    scores = (q @ k.transpose(-2, -1)) / q.shape[-1] ** 0.5
    return scores.masked_fill(~allowed, float("-inf")).softmax(-1) @ v

q, k, v = torch.randn(3, 2, n, 8, dtype=torch.float64)  # (batch 2, n, d)
for name in ("encoder (BERT)", "decoder (GPT)", "prefix LM"):
    sdpa = F.scaled_dot_product_attention(q, k, v, attn_mask=masks[name])
    assert torch.allclose(sdpa, attend(q, k, v, masks[name])), f"{name}: SDPA"
causal = F.scaled_dot_product_attention(q, k, v, is_causal=True)
assert torch.allclose(causal, attend(q, k, v, masks["decoder (GPT)"])), (
    "is_causal=True is the lower-triangular mask")
for name, a in masks.items():
    print(f"{name:21s} {tuple(a.shape)}: {a.float().mean():.2f} of the pairs allowed")

fig, axes = plt.subplots(1, 4, figsize=(9, 2.6), label=(
    "Four attention masks, query position down and key position across, dark where "
    "attention is allowed: the encoder's is all dark; the decoder's is a lower "
    "triangle; the prefix LM's is dark over the first three key columns for every "
    "query and lower-triangular after them; cross-attention is a fully dark 4 by 6 "
    "block from target queries to source keys"))
for ax, (name, a) in zip(axes, masks.items()):
    ax.imshow(a, cmap="Greys", vmin=0, vmax=1.3)
    ax.set(title=name, xticks=[], yticks=[], xlabel="key")
axes[0].set_ylabel("query")
fig.tight_layout()

# %% What each position can see: perturb one token and watch which outputs move
x = torch.randn(1, n, 8, dtype=torch.float64)
def moved(allowed, pos):  # which outputs change when token `pos` changes
    y = x.clone(); y[0, pos] += 1.0
    out = lambda t: F.scaled_dot_product_attention(t, t, t, attn_mask=allowed)
    return (out(x) != out(y)).any(-1)[0].tolist()

print("token 2 changed -> outputs that move (position 0..5)")
for name in ("encoder (BERT)", "decoder (GPT)", "prefix LM"):
    print(f"  {name:15s}", "".join("x" if c else "." for c in moved(masks[name], 2)))
assert moved(masks["decoder (GPT)"], 2) == [False] * 2 + [True] * 4, "causal"
assert all(moved(masks["prefix LM"], 2)), "a prefix token is seen by every query"
after = moved(masks["prefix LM"], 4)
print("prefix LM, token 4 changed ->", "".join("x" if c else "." for c in after))
assert after == [False] * 4 + [True] * 2, "after the prefix, attention is causal"

model = nn.Transformer(d_model=16, nhead=2, num_encoder_layers=1,
                       num_decoder_layers=1, dim_feedforward=32, dropout=0.0,
                       batch_first=True, dtype=torch.float64).eval()
src, tgt = torch.randn(1, n, 16, dtype=torch.float64), torch.randn(1, m, 16,
                                                                  dtype=torch.float64)
tgt_mask = nn.Transformer.generate_square_subsequent_mask(m, dtype=torch.float64)
run = lambda s, t: model(s, t, tgt_mask=tgt_mask, tgt_is_causal=True)[0]
base = run(src, tgt)
src2, tgt2 = src.clone(), tgt.clone()
src2[0, -1] += 1.0  # the last source token
tgt2[0, 2] += 1.0  # target token 2
from_src = (run(src2, tgt) != base).any(-1).tolist()
from_tgt = (run(src, tgt2) != base).any(-1).tolist()
print("nn.Transformer, last source token changed -> target outputs moved:", from_src)
print("nn.Transformer, target token 2 changed    -> target outputs moved:", from_tgt)
assert all(from_src), "cross-attention: every target position sees all the source"
assert from_tgt == [False, False, True, True], "decoder self-attention is causal"

# %% Training signal per sequence: BERT's 15% with 80/10/10, against next-token loss
B, L, V, MASK = 256, 128, 1000, 0  # token 0 plays [MASK]
tokens = torch.randint(1, V, (B, L))
chosen = torch.rand(B, L) < 0.15  # positions the loss will read
r = torch.rand(B, L)
inputs = tokens.clone()
inputs[chosen & (r < 0.8)] = MASK  # 80% of the chosen: [MASK]
swap = chosen & (r >= 0.8) & (r < 0.9)  # 10%: a random token; the last 10%: kept
inputs[swap] = torch.randint(1, V, (int(swap.sum()),))
labels = tokens.masked_fill(~chosen, -100)  # -100: ignored by cross_entropy

c = chosen.sum().item()
share = {"chosen": c / (B * L), "[MASK]": (inputs[chosen] == MASK).sum().item() / c,
         "random": ((inputs[chosen] != MASK) & (inputs[chosen] != tokens[chosen]))
         .sum().item() / c,  # read from the corrupted input, not from `swap`
         "unchanged": (inputs[chosen] == tokens[chosen]).sum().item() / c}
want = {"chosen": (0.15, B * L), "[MASK]": (0.8, c),  # a random swap can pick the same
        "random": (0.1 * (V - 2) / (V - 1), c), "unchanged": (0.1 + 0.1 / (V - 1), c)}
for key, (p, count) in want.items():
    se = (p * (1 - p) / count) ** 0.5  # binomial standard error
    print(f"{key:9s}: {share[key]:.4f} (expected {p:.4f} +- {se:.4f})")
    assert abs(share[key] - p) < 4 * se, f"BERT masking: {key} share is {p}"
of_all = {k: share[k] * share["chosen"] for k in ("[MASK]", "random", "unchanged")}
print("of all tokens:", ", ".join(f"{k} {v:.3f}" for k, v in of_all.items()))

logits, few = torch.randn(8, L, V), chosen[:8]  # a model's output for 8 sequences
mlm = F.cross_entropy(logits.reshape(-1, V), labels[:8].reshape(-1))
by_hand = -logits.log_softmax(-1)[few].gather(1, tokens[:8][few][:, None]).mean()
assert torch.allclose(mlm, by_hand), "ignore_index=-100: only chosen positions count"
print(f"targets per {L}-token sequence: MLM {c / B:.1f} on average, "
      f"next-token prediction {L - 1}")
