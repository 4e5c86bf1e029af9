# %% Causal linear attention: the masked quadratic form and the running sum agree
import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)
d, dv = 16, 16
phi = lambda x: F.elu(x) + 1  # Katharopoulos et al.'s positive feature map


def quadratic(q, k, v):
    """n x n weights phi(q_i) . phi(k_j) for j <= i, normalised by their row sum."""
    a = (phi(q) @ phi(k).T).tril()
    return (a @ v) / a.sum(-1, keepdim=True)


def recurrent(q, k, v):
    """An RNN: the state S (d x dv) and z (d) never grow with the position."""
    S, z, out = torch.zeros(d, dv, dtype=q.dtype), torch.zeros(d, dtype=q.dtype), []
    for qt, kt, vt in zip(phi(q), phi(k), v):
        S = S + kt[:, None] @ vt[None, :]  # add phi(k_t) v_t^T
        z = z + kt
        out.append((qt @ S) / (qt @ z))
    return torch.stack(out)


flops = {}
for n in (64, 128):
    q, k, v = (torch.randn(n, d, dtype=torch.float64) for _ in range(3))
    with FlopCounterMode(display=False) as fq:
        a = quadratic(q, k, v)
    with FlopCounterMode(display=False) as fr:
        r = recurrent(q, k, v)
    assert torch.allclose(a, r, rtol=1e-12, atol=1e-12), "running sum = masked form"
    flops[n] = fq.get_total_flops(), fr.get_total_flops()
    print(f"n = {n}: max |quadratic - recurrent| = {(a - r).abs().max():.1e}; matmul "
          f"FLOPs quadratic {flops[n][0]:,}, recurrent {flops[n][1]:,}")
assert flops[128][0] > 3.9 * flops[64][0], "masked form: FLOPs ~ n^2"
assert flops[128][1] == 2 * flops[64][1], "recurrence: FLOPs exactly linear in n"
print(f"state per head: {d * dv + d} numbers at every position; a KV cache at "
      f"n = 128 holds {2 * 128 * d:,}")
full = (phi(q) @ phi(k).T) @ v / (phi(q) @ phi(k).T).sum(-1, keepdim=True)
assoc = phi(q) @ (phi(k).T @ v) / (phi(q) @ phi(k).sum(0))[:, None]
assert torch.allclose(full, assoc), "non-causal: phi(Q) (phi(K)^T V), no n x n matrix"

# %% What the fixed-size state costs: recalling one of n stored values
d = 32
counts = [4, 8, 16, 32, 64, 128, 256]
err = {"softmax, all n keys kept (scale 20)": [],
       "linear attention, elu+1 (d x d state)": [],
       "best possible d x d linear state": []}
rel = lambda got, want: ((got - want).norm() / want.norm()).item()
for n in counts:
    keys = F.normalize(torch.randn(n, d, dtype=torch.float64), dim=-1)
    vals = torch.randn(n, d, dtype=torch.float64)
    soft = torch.softmax(20 * keys @ keys.T, -1) @ vals  # query = a stored key
    fk = phi(keys)
    lin = (fk @ (fk.T @ vals)) / (fk @ fk.sum(0))[:, None]
    best = fk @ torch.linalg.lstsq(fk, vals).solution  # least squares over states
    for name, got in zip(err, (soft, lin, best)):
        err[name].append(rel(got, vals))
print("    n   softmax  linear, elu+1  best d x d state")
for t, n in enumerate(counts):
    print(f"{n:5d} " + "    ".join(f"{err[name][t]:9.1e}" for name in err))
e_soft, e_lin, e_best = (torch.tensor(e) for e in err.values())
small, large = torch.tensor(counts) <= d, torch.tensor(counts) > d
assert (e_best[small] < 1e-9).all(), "n <= d: a d x d state can store every pair"
assert (e_best[large] > 0.1).all(), "n > d: no d x d state recalls them all"
assert (e_soft < 0.01).all(), "softmax over n kept keys recalls every value"
assert (e_lin > 0.5).all(), "in this run: elu+1 linear attention recalls poorly"
assert (e_lin > e_best).all(), "in this run: elu+1 is worse than the best state"

fig, ax = plt.subplots(figsize=(6, 3.6), label=(
    "Relative recall error against the number of stored key-value pairs, log-log: "
    "softmax attention over all keys stays below 0.01, the best d by d linear state "
    "is exact up to n = d = 32 and then its error jumps above 0.1, and elu plus one "
    "linear attention is worse than both at every n"))
for name, e in err.items():
    ax.loglog(counts, e, "o-", label=name)
ax.axvline(d, color="grey", ls=":", lw=1)
ax.set(xlabel="stored pairs n (key width d = 32)", ylabel="relative recall error")
ax.legend(fontsize=8)
fig.tight_layout()
