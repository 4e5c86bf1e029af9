# %% A toy next-token model: a fixed random bigram table over 6 tokens, length 4
import itertools
import torch

torch.manual_seed(2)  # seed 2: a table picked so that greedy goes wrong (seed 0: not)
V, L = 6, 4  # vocabulary size, sequence length

def toy_model():
    first = torch.randn(V).log_softmax(0)  # log p(x_1)
    table = torch.randn(V, V).log_softmax(1)  # log p(x_t | x_(t-1)), row = x_(t-1)
    return first, table

def greedy(first, table):
    seq = [int(first.argmax())]
    while len(seq) < L:
        seq.append(int(table[seq[-1]].argmax()))  # the single most likely next token
    return seq

def beam_search(first, table, width):
    """Keep the `width` best prefixes by total log-probability at every step."""
    scores, idx = first.topk(min(width, V))
    seqs = idx[:, None]
    for _ in range(L - 1):
        cand = scores[:, None] + table[seqs[:, -1]]  # (beams, V): every extension
        scores, flat = cand.flatten().topk(min(width, cand.numel()))
        seqs = torch.cat([seqs[flat // V], (flat % V)[:, None]], 1)
    return seqs[0].tolist(), scores[0].item()

def log_p(seq, first, table):  # a third implementation: the chain rule, token by token
    return (first[seq[0]] + sum(table[a, b] for a, b in zip(seq, seq[1:]))).item()

first, table = toy_model()
every = list(itertools.product(range(V), repeat=L))  # all 6^4 = 1296 sequences
scores = torch.tensor([log_p(s, first, table) for s in every])
best = list(every[int(scores.argmax())])
assert abs(scores.exp().sum() - 1) < 1e-5, "the model is a distribution over them"
print(f"exhaustive search, {len(every)} sequences: {best}  log p = {scores.max():.3f}")
g = greedy(first, table)
print(f"greedy                         : {g}  log p = {log_p(g, first, table):.3f}")
found = {}
for width in range(1, V + 1):
    found[width], s = beam_search(first, table, width)
    assert abs(s - log_p(found[width], first, table)) < 1e-5, "beam keeps the score"
    print(f"beam search, width {width}           : {found[width]}  log p = {s:.3f}")
assert found[1] == g, "beam search with width 1 is greedy decoding"
assert beam_search(first, table, V ** (L - 1))[0] == best, "no pruning: exact"
assert log_p(g, first, table) < scores.max() - 0.01, "in this run greedy misses it"
smallest = min(w for w in found if found[w] == best)
print(f"smallest width that finds the best sequence in this run: {smallest}")
assert smallest == 2, "in this run a beam of 2 already finds it"

t = next(k for k in range(L) if g[k] != best[k])  # where the two part ways
step = table[g[t - 1]] if t else first  # the same prefix before step t
after = lambda seq: log_p(seq, first, table) - log_p(seq[:t + 1], first, table)
print(f"step {t + 1}: greedy takes {g[t]} (p = {step[g[t]].exp():.3f}), the best "
      f"sequence {best[t]} (p = {step[best[t]].exp():.3f});\nlog p of the tokens "
      f"after it: greedy {after(g):.3f}, best sequence {after(best):.3f}")
assert step[g[t]] > step[best[t]] and after(best) > after(g), (
    "greedy's locally best token leads to a worse continuation")

# %% Over many random tables: how often does each width miss the exact argmax?
torch.manual_seed(0)
tables, widths = [toy_model() for _ in range(200)], (1, 2, 3, 4, 6, V ** (L - 1))
missed = {w: 0 for w in widths}
for first, table in tables:
    full = (first[:, None, None, None] + table[:, :, None, None]  # all 1296 at once
            + table[None, :, :, None] + table[None, None, :, :])
    for w in widths:
        missed[w] += beam_search(first, table, w)[1] < full.max().item() - 1e-5
for w in widths:
    print(f"width {w:3d}: misses the most likely sequence in "
          f"{missed[w]:3d} of {len(tables)} tables")
assert missed[V ** (L - 1)] == 0, "a beam that keeps every prefix never misses"
assert missed[1] > missed[2] > missed[4] > 0, "in this run: wider misses less, not 0"

# %% Viterbi: exact for a bigram model, because the future depends on the last token
first, table = toy_model()
delta, back = first.clone(), []
for _ in range(L - 1):
    delta, arg = (delta[:, None] + table).max(0)  # best way to reach each token
    back.append(arg)
path = [int(delta.argmax())]
for arg in reversed(back):
    path.insert(0, int(arg[path[0]]))
brute = max(itertools.product(range(V), repeat=L), key=lambda s: log_p(s, first, table))
assert path == list(brute), "dynamic programming = exhaustive search for a bigram"
print(f"Viterbi: {path}, exact from {(L - 1) * V * V} transitions instead of "
      f"{V ** L} sequences")
