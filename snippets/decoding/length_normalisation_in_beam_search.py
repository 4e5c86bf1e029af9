# %% With an end token, the most likely sequence is short: every token costs log p < 0
import torch
import matplotlib.pyplot as plt

torch.manual_seed(0)
W, EOS, MAX = 4, 4, 6  # 4 words (tokens 0-3), the end token 4, at most 6 words

def toy_model():  # a random bigram table; the end token is about 1 in 6
    first = torch.randn(W)
    logits = torch.cat([torch.randn(W, W), torch.randn(W, 1) - 0.5], 1)
    return first.log_softmax(0), logits.log_softmax(1)  # rows: the previous word

def finish(scores, seqs, table):  # (log p including the end token, words, length)
    return scores + table[seqs[:, -1], EOS], seqs, seqs.shape[1] + 1

def beam_search(first, table, width):
    """Keep the `width` best live prefixes by log p; collect every finished one."""
    scores, keep = first.topk(min(width, W))
    seqs, done = keep[:, None], []
    for n in range(1, MAX + 1):
        done.append(finish(scores, seqs, table))
        cand = (scores[:, None] + table[seqs[:, -1], :W]).flatten()  # grow by a word
        scores, flat = cand.topk(min(width, cand.numel()))
        seqs = torch.cat([seqs[flat // W], (flat % W)[:, None]], 1)
    return done

def exhaustive(first, table):  # every sequence of 1..MAX words, then the end token
    scores, seqs, done = first, torch.arange(W)[:, None], []
    for n in range(1, MAX + 1):
        done.append(finish(scores, seqs, table))
        scores = (scores[:, None] + table[seqs[:, -1], :W]).flatten()
        seqs = torch.cat([seqs.repeat_interleave(W, 0), torch.arange(W).repeat(
            len(seqs))[:, None]], 1)
    return done

def pick(done, alpha):  # the best finished sequence under log p / length^alpha
    s = torch.cat([d[0] for d in done])
    n = torch.cat([torch.full_like(d[0], d[2]) for d in done])
    k = row = int((s / n**alpha).argmax())
    for _, seqs, _ in done:  # find that row among the groups of finished sequences
        if row < len(seqs):
            return (s[k] / n[k] ** alpha).item(), seqs[row].tolist()
        row -= len(seqs)

first, table = toy_model()
done = exhaustive(first, table)
p_len = torch.stack([s.exp().sum() for s, _, _ in done])  # p(n words), n = 1..MAX
assert torch.allclose(p_len[0], (first.exp() * table[:, EOS].exp()).sum()), "n = 1"
print(f"{sum(len(q) for _, q, _ in done)} sequences; p(n words), n = 1..{MAX}:",
      " ".join(f"{x:.3f}" for x in p_len.tolist()))
best, unpruned = {}, beam_search(first, table, W ** MAX)  # room for all 4^6 prefixes
sizes = [len(q) for _, q, _ in unpruned]
assert sizes == [W**n for n in range(1, MAX + 1)], "every prefix of 1..6 words is kept"
def log_p(q):  # the chain rule, word by word, then the end token
    return (first[q[0]] + sum(table[a, b] for a, b in zip(q, q[1:]))
            + table[q[-1], EOS]).item()

for alpha in (0.0, 1.0):
    top, best[alpha] = pick(done, alpha)
    score, seq = pick(unpruned, alpha)  # ties are possible, so compare scores
    n = len(seq) + 1  # the length counts the end token
    assert abs(score - top) < 1e-6 and abs(log_p(seq) / n**alpha - top) < 1e-5, (
        "a beam that keeps every prefix = exhaustive search")
    print(f"alpha = {alpha}: the best sequence is {best[alpha]} "
          f"({len(best[alpha])} words)")
assert len(best[0.0]) < len(best[1.0]), "in this run: log p alone prefers shorter"
n0 = len(best[0.0])
print(f"p({n0} words) = {p_len[n0 - 1]:.3f}, p(more than {n0} words) = "
      f"{p_len[n0:].sum():.3f}: the most likely sequence is not a typical one")
assert p_len[n0:].sum() > p_len[n0 - 1], "in this run: longer outputs are likelier"

# %% Across 40 random tables: wider beams find shorter outputs unless normalised
tables, widths = [toy_model() for _ in range(40)], (1, 2, 4, 16, 64)
alphas = (0.0, 0.6, 1.0)
mean_len = {a: [] for a in alphas}
for w in widths:
    runs = [beam_search(f, t, w) for f, t in tables]
    for a in alphas:
        mean_len[a].append(sum(len(pick(d, a)[1]) for d in runs) / len(runs))
for a in alphas:
    print(f"alpha = {a}: mean length by width {widths}:",
          " ".join(f"{x:.2f}" for x in mean_len[a]))
assert mean_len[0.0][-1] < mean_len[0.0][0], "in this run: wider beam, shorter output"
assert mean_len[1.0][-1] > mean_len[0.0][-1], "normalising lengthens the output"

fig, ax = plt.subplots(figsize=(6, 3.2), label=(
    "Mean length of the beam search output over 40 random bigram models against "
    "beam width on a log scale: ranked by log p alone (alpha 0) the output is about "
    "1.3 words and gets shorter as the beam widens; divided by length^0.6 it is "
    "about 2.1 to 2.5 words, and divided by the length (alpha 1) about 5.0 to 5.2, "
    "rising slightly with the width"))
for a in alphas:
    ax.semilogx(widths, mean_len[a], marker="o", label=f"log p / length^{a}")
ax.set(xlabel="beam width", ylabel="mean output length (words)")
ax.legend()
fig.tight_layout()
