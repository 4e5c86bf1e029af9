# %% One epoch of DataLoader(shuffle=True): ceil(N/B) batches, each example once
import math
import torch
from torch.utils.data import DataLoader, RandomSampler, TensorDataset

torch.manual_seed(0)
N, B = 10, 4
data = TensorDataset(torch.arange(N))  # example i is just the number i

def epochs_of(loader, n_epochs=3):
    return [[batch.tolist() for (batch,) in loader] for _ in range(n_epochs)]

shuffled = DataLoader(data, batch_size=B, shuffle=True,
                      generator=torch.Generator().manual_seed(0))
runs = epochs_of(shuffled)
for e, batches in enumerate(runs, 1):
    print(f"epoch {e}: {batches}")
print(f"len(loader) = {len(shuffled)}, math.ceil(N / B) = {math.ceil(N / B)}")
assert len(shuffled) == math.ceil(N / B) == len(runs[0]), "ceil(N/B) iterations"
for batches in runs:
    seen = sorted(i for batch in batches for i in batch)
    assert seen == list(range(N)), "shuffle=True: every example exactly once per epoch"
assert len({str(r) for r in runs}) == len(runs), "a new order in every epoch"
again = DataLoader(data, batch_size=B, shuffle=True,
                   generator=torch.Generator().manual_seed(0))
assert epochs_of(again) == runs, "a seeded generator reproduces the order"

dropped = DataLoader(data, batch_size=B, shuffle=True, drop_last=True)
for e, batches in enumerate(epochs_of(dropped, 2), 1):
    left_out = sorted(set(range(N)) - {i for batch in batches for i in batch})
    print(f"drop_last=True, epoch {e}: {len(batches)} batches, not seen {left_out}")
assert len(dropped) == N // B, "drop_last: floor(N/B) iterations"
for n in (1, 7, 32, 33, 100):  # the rule for other sizes, checked by iterating
    for b in (1, 4, 32, 64):
        for drop in (False, True):
            loader = DataLoader(list(range(n)), batch_size=b, drop_last=drop)
            rule = n // b if drop else math.ceil(n / b)
            assert len(loader) == rule == sum(1 for _ in loader), f"len, N={n} B={b}"

# %% With replacement: an "epoch" of N draws sees about 63% of the examples
import matplotlib.pyplot as plt

N, epochs = 1000, 20
data = TensorDataset(torch.arange(N))
with_repl = DataLoader(data, batch_size=100,
                       sampler=RandomSampler(data, replacement=True))
without = DataLoader(data, batch_size=100, shuffle=True)
print(f"len(loader): with replacement {len(with_repl)}, without {len(without)}")
counts = {name: torch.stack([torch.bincount(torch.cat([b for (b,) in loader]),
                                            minlength=N) for _ in range(epochs)])
          for name, loader in [("with", with_repl), ("without", without)]}
assert (counts["without"] == 1).all(), "without replacement: each example once"
distinct = (counts["with"] > 0).float().mean().item()
theory = 1 - (1 - 1 / N) ** N  # P(an example is drawn at least once in N draws)
print(f"with replacement: {distinct:.1%} of examples seen per epoch "
      f"(closed form 1 - (1 - 1/N)^N = {theory:.1%}), most drawn: "
      f"{counts['with'].max().item()} times")
assert abs(distinct - theory) < 0.01, "fraction seen matches the closed form"

ks = torch.arange(6)
frequency = torch.stack([(counts["with"] == k).float().mean() for k in ks])
binomial = torch.tensor([math.comb(N, k) * (1 / N) ** k * (1 - 1 / N) ** (N - k)
                         for k in ks.tolist()])
assert torch.allclose(frequency, binomial, atol=0.01), "counts ~ Binomial(N, 1/N)"
fig, ax = plt.subplots(figsize=(6, 3.2), label=(
    "Bar chart of how many times each example is drawn in one epoch: without "
    "replacement every example is drawn exactly once; with replacement about 37 "
    "percent are never drawn, 37 percent once and the rest two or more times, "
    "matching the binomial probabilities drawn as dots"))
ax.bar(ks - 0.2, frequency, width=0.4, label="with replacement (measured)")
ax.bar([0.8, 1.2], [0, 1], width=0.4, label="without replacement")
ax.plot(ks - 0.2, binomial, "ko", label="Binomial(N, 1/N)")
ax.set(xlabel="times an example is drawn in one epoch", ylabel="fraction of examples")
ax.legend()
fig.tight_layout()

# %% Why drop_last exists: a final batch of one example breaks BatchNorm in training
from torch import nn

data = TensorDataset(torch.randn(9, 3))  # 9 = 2 x 4 + 1
bn, failed = nn.BatchNorm1d(3).train(), {}
for drop in (False, True):
    try:
        sizes = [len(bn(x)) for (x,) in DataLoader(data, batch_size=4, drop_last=drop)]
        print(f"drop_last={drop}: batch sizes {sizes}")
        failed[drop] = False
    except ValueError as err:
        print(f"drop_last={drop}: ValueError: {err}")
        failed[drop] = True
assert failed == {False: True, True: False}, "only the size-1 last batch fails"
assert sizes == [4, 4], "drop_last=True skips the single leftover example"
