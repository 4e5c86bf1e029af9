# %% Attention tile by tile with an online softmax, against SDPA
import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)
B, H, n, d, b = 2, 4, 512, 32, 64  # batch, heads, length, head width, tile size
q, k, v = (torch.randn(B, H, n, d, dtype=torch.float64) for _ in range(3))


def tiled(q, k, v, b, causal=False):
    """Exact attention that never holds more than a b x b tile of scores per head."""
    n, scale = q.shape[-2], q.shape[-1] ** -0.5
    outs, lses, tile = [], [], 0
    for i in range(0, n, b):  # query tiles are independent of each other
        qi = q[..., i:i + b, :]
        m = torch.full(qi.shape[:-1] + (1,), float("-inf"), dtype=q.dtype)
        tot, acc = torch.zeros_like(m), torch.zeros_like(qi)  # running sum, output
        for j in range(0, i + b if causal else n, b):  # causal: skip tiles above
            s = qi @ k[..., j:j + b, :].transpose(-2, -1) * scale  # (b, b) scores
            if causal and j == i:  # only the diagonal tile is partly masked
                above = torch.ones(b, b, dtype=torch.bool).triu(1)
                s = s.masked_fill(above, -torch.inf)
            m_new = torch.maximum(m, s.amax(-1, keepdim=True))
            p = torch.exp(s - m_new)
            fix = torch.exp(m - m_new)  # rescales everything summed so far
            tot = fix * tot + p.sum(-1, keepdim=True)
            acc = fix * acc + p @ v[..., j:j + b, :]
            m, tile = m_new, max(tile, s.shape[-2] * s.shape[-1])
        outs.append(acc / tot)
        lses.append((m + tot.log()).squeeze(-1))  # log-sum-exp of each row's scores
    return torch.cat(outs, -2), torch.cat(lses, -1), tile


for causal in (False, True):
    with FlopCounterMode(display=False) as fc:
        out, lse, tile = tiled(q, k, v, b, causal)
    ref = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
    err = (out - ref).abs().max().item()
    assert torch.allclose(out, ref, rtol=1e-12, atol=1e-12), "tiled = SDPA"
    T = n // b
    pairs = T * (T + 1) // 2 if causal else T * T  # tiles computed
    print(f"causal={causal}: max |tiled - SDPA| = {err:.1e}, {pairs} of {T * T} "
          f"tiles, matmul FLOPs {fc.get_total_flops():,}")
    flops = fc.get_total_flops()
    assert flops == 4 * B * H * d * b * b * pairs, "FLOPs: 4 d b^2 per tile and head"

print(f"largest score block per head: {tile:,} numbers; n x n would be {n * n:,}")
with FlopCounterMode(display=False) as fc:  # the textbook version: full n x n matrix
    dense = (q @ k.transpose(-2, -1) / d**0.5).softmax(-1) @ v
print(f"dense attention matmul FLOPs {fc.get_total_flops():,} = 4 B H n^2 d")
assert fc.get_total_flops() == 4 * B * H * n * n * d, "dense: 4 B H n^2 d"
out, lse, _ = tiled(q, k, v, b)
scores = q @ k.transpose(-2, -1) / d**0.5
assert torch.allclose(lse, scores.logsumexp(-1)), "saved row statistic = logsumexp"

# %% The backward pass, recomputed tile by tile from Q, K, V, O and the logsumexp
qr, kr, vr = (t.clone().requires_grad_() for t in (q, k, v))
ref = F.scaled_dot_product_attention(qr, kr, vr)
dO = torch.randn_like(ref)
ref.backward(dO)
scale = d**-0.5
D = (dO * out).sum(-1, keepdim=True)  # row sums of dO * O
dq, dk, dv = torch.zeros_like(q), torch.zeros_like(k), torch.zeros_like(v)
for j in range(0, n, b):  # one key tile at a time; scores are recomputed, not loaded
    kj, vj = k[..., j:j + b, :], v[..., j:j + b, :]
    p = torch.exp(q @ kj.transpose(-2, -1) * scale - lse[..., None])  # (n, b) weights
    dv[..., j:j + b, :] = p.transpose(-2, -1) @ dO
    ds = p * (dO @ vj.transpose(-2, -1) - D)  # softmax backward, one tile
    dq += ds @ kj * scale
    dk[..., j:j + b, :] = ds.transpose(-2, -1) @ q * scale
for name, mine, auto in (("dQ", dq, qr.grad), ("dK", dk, kr.grad), ("dV", dv, vr.grad)):
    assert torch.allclose(mine, auto, rtol=1e-10, atol=1e-12), f"{name} = autograd"
    print(f"{name}: max |recomputed - autograd| = {(mine - auto).abs().max():.1e}")
