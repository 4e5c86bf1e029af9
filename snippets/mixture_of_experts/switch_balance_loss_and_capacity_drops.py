# %% The Switch load-balancing loss N * sum_i f_i * P_i, by hand and in closed form
import torch
import torch.nn.functional as F

torch.manual_seed(0)

def balance_loss(p):
    """p: (T, N) router probabilities. f_i: share of tokens whose top-1 is i
    (no gradient); P_i: mean probability given to i (carries the gradient)."""
    N = p.shape[1]
    f = F.one_hot(p.argmax(-1), N).to(p.dtype).mean(0)
    return N * (f * p.mean(0)).sum()

def by_hand(p):  # the same sums, one token at a time
    T, N = p.shape
    count, mass = [0] * N, [0.0] * N
    for row in p.tolist():
        count[row.index(max(row))] += 1
        mass = [m + r for m, r in zip(mass, row)]
    return N * sum(c / T * m / T for c, m in zip(count, mass))

p = torch.randn(512, 8, dtype=torch.float64).mul(2).softmax(-1)
print(f"random router: {balance_loss(p):.6f} vectorised, {by_hand(p):.6f} by hand")
assert abs(balance_loss(p).item() - by_hand(p)) < 1e-12, "two implementations agree"

base = torch.tensor([1 / 2, 1 / 8, 1 / 8, 1 / 16, 1 / 16, 1 / 16, 1 / 32, 1 / 32],
                    dtype=torch.float64)  # binary fractions: every sum below is exact
uniform = torch.stack([base.roll(t % 8) for t in range(64)])  # each expert: 8 tokens
collapsed = F.one_hot(torch.zeros(64, dtype=torch.long), 8).to(torch.float64)
half = torch.stack([base] * 64)  # all on expert 0, which gets probability 1/2
print(f"uniform: {balance_loss(uniform)}, collapsed: {balance_loss(collapsed)}, "
      f"collapsed with p_0 = 1/2: {balance_loss(half)}")
assert torch.equal(balance_loss(uniform), torch.tensor(1.0, dtype=torch.float64)), (
    "uniform routing: exactly 1")
assert balance_loss(collapsed).item() == 8.0, "one expert takes every token: N"
assert balance_loss(half).item() == 8 * 0.5, "collapsed: N * P_0, not always N"

# 1 is not a floor: probability parked on an expert that receives no tokens
odd = torch.tensor([[9 / 16, 0, 7 / 16]] * 32 + [[0, 9 / 16, 7 / 16]] * 32,
                   dtype=torch.float64)  # 3 experts; expert 2 is never the top-1
print(f"experts 0 and 1 take all tokens, expert 2 none: loss {balance_loss(odd)}")
assert balance_loss(odd).item() == 3 * (9 / 16) / 2 < 1, "below 1 while unbalanced"

# %% What the gradient does: lower the logits of over-loaded experts
z = torch.randn(512, 8, dtype=torch.float64, requires_grad=True)
z.data[:, 0] += 1.5  # expert 0 is favoured
p = z.softmax(-1)
g, = torch.autograd.grad(balance_loss(p), z)
f = F.one_hot(p.argmax(-1), 8).to(p.dtype).mean(0)
pd = p.detach()  # dL/dz_tj = (N/T) p_tj (f_j - sum_i f_i p_ti), written out
want = 8 / 512 * pd * (f - (pd * f).sum(-1, keepdim=True))
print("load f_i:", " ".join(f"{v:.2f}" for v in f))
print("mean dL/dz_i:", " ".join(f"{v:+.1e}" for v in g.mean(0)))
assert torch.allclose(g, want), "autograd = the derivative written out"
assert g.mean(0).argmax() == f.argmax(), "the busiest expert's logits are pushed down"

# %% Capacity factor: each expert processes at most C = int(cf * T / N) tokens
T, N = 256, 8
logits = torch.randn(T, N)
logits[:, 0] += 0.7  # a mildly unbalanced router
expert = logits.argmax(-1)

def kept_vectorised(expert, C):
    """Queue position of each token at its expert (batch order), kept if < C."""
    onehot = F.one_hot(expert, N)
    position = (onehot.cumsum(0) - 1).gather(1, expert[:, None]).squeeze(1)
    return position < C

def kept_by_hand(expert, C):
    seen, keep = [0] * N, []
    for e in expert.tolist():
        keep.append(seen[e] < C)
        seen[e] += 1
    return torch.tensor(keep)

counts = torch.bincount(expert, minlength=N)
print("tokens per expert:", counts.tolist(), f"(balanced: {T // N})")
print(f"{'cf':>4} {'C':>3} {'dropped':>12} {'computed slots':>15} {'padding':>8}")
for cf in (1.0, 1.25, 1.5, 2.0):
    C = int(cf * T / N)
    keep = kept_vectorised(expert, C)
    assert torch.equal(keep, kept_by_hand(expert, C)), "cumsum = a loop over tokens"
    dropped = int((~keep).sum())
    assert dropped == int((counts - C).clamp(min=0).sum()), "sum_i max(0, n_i - C)"
    print(f"{cf:4.2f} {C:3d} {dropped:5d} ({dropped / T:4.0%}) {N * C:15d} "
          f"{N * C - int(keep.sum()):8d}")
    if cf == 1.0:
        drop_at_1 = dropped
balanced = torch.arange(T) % N  # the same batch, perfectly balanced
assert not (~kept_vectorised(balanced, T // N)).any(), "balanced: cf = 1 drops none"
assert drop_at_1 > 0, "unbalanced: cf = 1 drops tokens"
