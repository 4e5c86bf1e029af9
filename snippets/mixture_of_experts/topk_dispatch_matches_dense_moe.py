# %% Top-k routing with gather/scatter, against every expert run on every token
import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)
T, d, d_ff, N, k = 64, 16, 32, 8, 2  # tokens, width, expert hidden size, experts, top-k
init = lambda *shape: (torch.randn(*shape, dtype=torch.float64)
                      / shape[-2] ** 0.5).requires_grad_()
W_r = init(d, N)  # the router: logits = x @ W_r
W1, W2 = init(N, d, d_ff), init(N, d_ff, d)  # expert e: relu(x @ W1[e]) @ W2[e]
x = torch.randn(T, d, dtype=torch.float64)

def moe_sparse(x, k):
    """Each token visits only its top-k experts: sort, gather, run, scatter-add."""
    top, idx = (x @ W_r).topk(k, dim=-1)
    gate = top.softmax(-1)  # softmax over the k kept logits only
    tok = torch.arange(len(x)).repeat_interleave(k)  # (T*k,) token of each pair
    exp, g = idx.reshape(-1), gate.reshape(-1)
    order = exp.argsort(stable=True)  # group the (token, expert) pairs by expert
    tok, exp, g = tok[order], exp[order], g[order]
    counts = torch.bincount(exp, minlength=N).tolist()
    out, start = torch.zeros_like(x), 0
    for e, n in enumerate(counts):  # expert e's tokens are rows start .. start+n
        rows, start = tok[start:start + n], start + n
        y = F.relu(x[rows] @ W1[e]) @ W2[e]  # one dense matmul per expert
        out = out.index_add(0, rows, g[start - n:start, None] * y)  # scatter back
    return out

def moe_dense(x, k):
    """Reference: all N experts on all tokens, weighted by the masked softmax."""
    logits = x @ W_r
    keep = torch.zeros_like(logits, dtype=torch.bool)
    keep.scatter_(1, logits.topk(k, dim=-1).indices, True)
    G = logits.masked_fill(~keep, float("-inf")).softmax(-1)  # (T, N), k non-zeros
    Y = F.relu(torch.einsum("td,ndf->ntf", x, W1)) @ W2  # (N, T, d)
    return torch.einsum("tn,ntd->td", G, Y)

out_s, out_d = moe_sparse(x, k), moe_dense(x, k)
grads = [torch.autograd.grad(o.pow(2).sum(), (W_r, W1, W2)) for o in (out_s, out_d)]
print(f"max |sparse - dense| output: {(out_s - out_d).abs().max():.1e}")
print("max |sparse - dense| grad (router, W1, W2): " + ", ".join(
    f"{(a - b).abs().max():.1e}" for a, b in zip(*grads)))
assert torch.allclose(out_s, out_d), "dispatch = dense experts x masked gates"
assert all(torch.allclose(a, b) for a, b in zip(*grads)), "same gradients"

# %% Top-1: renormalising the single gate to 1 cuts the router off from the loss
def switch(x):
    """Switch routing: the expert's output times p_i(x) of the full softmax."""
    p = (x @ W_r).softmax(-1)
    return p.max(-1, keepdim=True).values * moe_sparse(x, 1)  # k=1: gate is 1

for name, layer in (("Switch, gate p_i(x)", switch),
                    ("top-1, renormalised", lambda x: moe_sparse(x, 1))):
    g_r, = torch.autograd.grad(layer(x).pow(2).sum(), W_r)
    print(f"{name}: router gradient norm {g_r.norm():.3e}")
    assert torch.equal(g_r, torch.zeros_like(g_r)) == (layer is not switch), (
        "top-1 with a renormalised gate gives the router no gradient")

# %% FLOPs: the dispatched layer pays for k experts per token, the dense one for N
def flops(fn):
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        fn(x, k)
    return counter.get_total_flops()

router = 2 * T * d * N  # x @ W_r; then 2 matmuls of 2*d*d_ff FLOPs per (token, expert)
per_pair = 2 * (2 * d * d_ff)
print(f"FLOPs, dispatched: {flops(moe_sparse):,}  dense: {flops(moe_dense):,}")
assert flops(moe_sparse) == router + T * k * per_pair, "k experts per token"
combine = 2 * T * N * d  # the dense reference also sums N weighted outputs
assert flops(moe_dense) == router + T * N * per_pair + combine, "N per token"

# %% Total vs active parameters: Mixtral 8x7B's shape (Jiang et al., 2024, table 1)
from torch import nn

cfg = dict(d=4096, L=32, hd=128, d_ff=14336, H=32, H_kv=8, V=32000, N=8, k=2)

class Block(nn.Module):  # attention projections, 2 RMSNorms, router, SwiGLU experts
    def __init__(s, d, hd, d_ff, H, H_kv, N, **_):
        super().__init__()
        lin = lambda i, o: nn.Linear(i, o, bias=False)
        s.q, s.k, s.v, s.o = lin(d, H * hd), lin(d, H_kv * hd), lin(d, H_kv * hd), \
            lin(H * hd, d)
        s.norms, s.router = nn.ModuleList([nn.RMSNorm(d), nn.RMSNorm(d)]), lin(d, N)
        swiglu = lambda: nn.ModuleDict(dict(w1=lin(d, d_ff), w3=lin(d, d_ff),
                                            w2=lin(d_ff, d)))
        s.experts = nn.ModuleList(swiglu() for _ in range(N))

with torch.device("meta"):  # shapes only: no memory is allocated
    model = nn.ModuleDict(dict(  # untied input and output embeddings
        embed=nn.Embedding(cfg["V"], cfg["d"]),
        blocks=nn.ModuleList(Block(**cfg) for _ in range(cfg["L"])),
        norm=nn.RMSNorm(cfg["d"]), head=nn.Linear(cfg["d"], cfg["V"], bias=False)))
total = sum(p.numel() for p in model.parameters())
expert = sum(p.numel() for p in model.blocks[0].experts[0].parameters())
active = total - cfg["L"] * (cfg["N"] - cfg["k"]) * expert  # k of N experts run

c = cfg  # the same counts written out
attn = 2 * c["d"] * c["H"] * c["hd"] + 2 * c["d"] * c["H_kv"] * c["hd"]
per_layer = attn + 2 * c["d"] + c["d"] * c["N"] + c["N"] * 3 * c["d"] * c["d_ff"]
want_total = 2 * c["V"] * c["d"] + c["d"] + c["L"] * per_layer
want_active = want_total - c["L"] * (c["N"] - c["k"]) * 3 * c["d"] * c["d_ff"]
print(f"total {total:,} ({total / 1e9:.1f}B), active per token {active:,} "
      f"({active / 1e9:.1f}B), experts {c['L'] * c['N'] * expert / total:.0%} of total")
assert (total, active) == (want_total, want_active), "module count = formula"
assert (round(total / 1e9), round(active / 1e9)) == (47, 13), "the paper: 47B and 13B"
assert (round(total / 1e8), round(active / 1e8)) == (467, 129), (
    "Mistral AI's announcement: 46.7B and 12.9B (tied embeddings give 46.6B, 12.7B)")
extra = (c["N"] - 1) * 3 * c["d"] * c["d_ff"] + c["d"] * c["N"]  # 7 experts, router
one_ffn = want_total - c["L"] * extra
print(f"same model with one dense FFN per layer: {one_ffn / 1e9:.2f}B; "
      f"8 times that: {8 * one_ffn / 1e9:.1f}B, not the {total / 1e9:.1f}B")
