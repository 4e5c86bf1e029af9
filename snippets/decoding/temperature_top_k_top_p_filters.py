# %% Temperature, top-k and top-p written by hand, against closed forms and brute force
import itertools
import math
import torch
import matplotlib.pyplot as plt

torch.manual_seed(0)
V = 10
z = 1.5 * torch.randn(V, dtype=torch.float64)  # one step's logits, in no order
probs = lambda logits: logits.softmax(-1)

def top_k(logits, k):  # keep the k largest logits, -inf elsewhere
    kth = logits.sort(descending=True).values[k - 1]
    return logits.masked_fill(logits < kth, float("-inf"))

def top_p(logits, p):  # keep the most likely tokens until their mass reaches p
    pr, order = probs(logits).sort(descending=True)
    before = pr.cumsum(0) - pr  # mass of the tokens ranked above each one
    keep = torch.zeros(V, dtype=torch.bool)
    keep[order[before < p]] = True  # the first token is always kept
    return logits.masked_fill(~keep, float("-inf"))

for T in (0.5, 2.0):
    assert torch.equal(probs(z / T).argsort(), probs(z).argsort()), "T keeps the order"
gap = (z.max() - z.topk(2).values[1]).item()
p_top = probs(z / 0.01).max().item()
assert p_top >= 1 / (1 + (V - 1) * math.exp(-gap / 0.01)), (
    "T -> 0: the argmax's probability is at least 1 / (1 + (V-1) exp(-gap/T))")
assert probs(z / 0.01).argmax() == z.argmax() and p_top > 0.999, "T -> 0: greedy"
spread = (probs(z / 100) - 1 / V).abs().max().item()
r = (z.max() - z.min()).item()  # every p_i / (1/V) lies in [exp(-r/T), exp(r/T)]
assert spread <= (math.exp(r / 100) - 1) / V, "T -> inf: within (e^(r/T) - 1)/V of 1/V"
Ts = torch.logspace(-1.5, 1.5, 50, dtype=torch.float64)
H = torch.stack([-(probs(z / T) * probs(z / T).log()).sum() for T in Ts])
assert (H.diff() > 0).all(), "the entropy grows with the temperature"
print(f"T = 0.01: p(argmax) = {p_top:.6f} (logit gap to the next token {gap:.3f}); "
      f"T = 100: max |p - 1/V| = {spread:.4f}")
print(f"entropy from T = {Ts[0]:.3f} to {Ts[-1]:.1f}: {H[0]:.3f} to {H[-1]:.3f} nats "
      f"(uniform: log {V} = {torch.log(torch.tensor(V)):.3f})")

idx = set(torch.topk(z, 3).indices.tolist())
assert set(torch.nonzero(top_k(z, 3).isfinite()).flatten().tolist()) == idx, "topk"
p0 = probs(z)
for p in (0.1, 0.5, 0.8, 0.9, 0.95):  # brute force over all 2^10 subsets
    ok = [s for n in range(1, V + 1) for s in itertools.combinations(range(V), n)
          if p0[list(s)].sum() >= p]
    size = min(len(s) for s in ok)
    smallest = max((s for s in ok if len(s) == size), key=lambda s: p0[list(s)].sum())
    kept = set(torch.nonzero(top_p(z, p).isfinite()).flatten().tolist())
    assert kept == set(smallest), f"top-p = the smallest set with mass >= {p}"
    print(f"top-p {p:4}: keeps {len(kept):2d} of {V}, mass {p0[list(kept)].sum():.3f}")
nucleus = {T: int(top_p(z / T, 0.9).isfinite().sum()) for T in (0.5, 1.0, 2.0)}
for T, size in nucleus.items():  # temperature first, then top-p: the nucleus changes
    print(f"T = {T} then top-p 0.9: {size} tokens")
assert nucleus[0.5] < nucleus[1.0] < nucleus[2.0], "temperature changes the nucleus"

# %% Sample with the Gumbel-max trick and compare frequencies with the filtered softmax
N = 50_000
settings = {f"T = {T:g}": z / T for T in (1.0, 0.5, 2.0)}
settings.update({"top-k, k = 3": top_k(z, 3), "top-p, p = 0.9": top_p(z, 0.9)})
entropy = {n: -(probs(a) * probs(a).log()).sum().item() for n, a in settings.items()
           if n.startswith("T")}
print("entropy (nats):", ", ".join(f"{n} {h:.3f}" for n, h in entropy.items()))
assert entropy["T = 0.5"] < entropy["T = 1"] < entropy["T = 2"], "sharper, flatter"
freq = {}
for name, logits in settings.items():
    u = torch.rand(N, V, dtype=torch.float64)
    draws = (logits - (-u.log()).log()).argmax(1)  # argmax(logits + Gumbel noise)
    freq[name] = torch.bincount(draws, minlength=V) / N
    want = probs(logits)
    se = (want * (1 - want) / N).sqrt()
    assert ((freq[name] - want).abs() <= 5 * se).all(), f"{name}: frequencies"
    assert (freq[name][want == 0] == 0).all(), f"{name}: filtered tokens never drawn"
    worst = ((freq[name] - want).abs() / se.clamp_min(1e-12)).max()
    print(f"{name:15s}: largest deviation {worst:.1f} standard errors")

order = z.argsort(descending=True)  # plot tokens from most to least likely
fig, axes = plt.subplots(1, 5, figsize=(10, 2.6), sharey=True, label=(
    "Five bar charts of the next-token distribution over 10 tokens ordered by "
    "probability, with dots for sampled frequencies on the bars: T = 0.5 is sharper "
    "than T = 1 and T = 2 flatter; top-k with k = 3 keeps three bars and top-p with "
    "p = 0.9 keeps four, both renormalised, with zero elsewhere"))
for ax, (name, logits) in zip(axes, settings.items()):
    ax.bar(range(V), probs(logits)[order], color="C0")
    ax.plot(range(V), freq[name][order], "o", color="C1", markersize=3)
    ax.set(title=name, xticks=[], xlabel="token (by p)")
axes[0].set_ylabel("probability")
fig.tight_layout()
