# %% Which kernel F.scaled_dot_product_attention runs on the CPU, and what it saves
import contextlib
import warnings

import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

torch.manual_seed(0)
warnings.filterwarnings("ignore", message=".*kernel")  # SDPA explains its fallbacks
B, H, d = 1, 2, 32


def saved_for_backward(n, backend=None, heads=True, dv=d, **kwargs):
    """The backward node, and the new tensors autograd keeps (not Q, K, V)."""
    shape = (B, H, n, d) if heads else (B * H, n, d)  # 4-D or 3-D inputs
    q, k, v = (torch.randn(shape[:-1] + (w,), requires_grad=True) for w in (d, d, dv))
    inputs = {t.untyped_storage().data_ptr() for t in (q, k, v)}
    kept = {}  # one entry per storage: views of one tensor count once

    def pack(t):
        if t.untyped_storage().data_ptr() not in inputs:
            kept.setdefault(t.untyped_storage().data_ptr(), t)
        return t

    chosen = sdpa_kernel(backend) if backend else contextlib.nullcontext()
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t), chosen:
        out = F.scaled_dot_product_attention(q, k, v, **kwargs)
    kept = list(kept.values())
    nbytes = sum(t.untyped_storage().nbytes() for t in kept)
    return type(out.grad_fn).__name__, [tuple(t.shape) for t in kept], nbytes


n = 256
for backend in (SDPBackend.FLASH_ATTENTION, SDPBackend.MATH):
    node, shapes, nbytes = saved_for_backward(n, backend, is_causal=True)
    print(f"{backend.name:15s} backward node {node}\n{'':15s} saves {shapes}")
    has_scores = any(s[-2:] == (n, n) for s in shapes)
    assert has_scores == (backend == SDPBackend.MATH), "only math keeps n x n weights"
print("default choice (no sdpa_kernel), 4-D inputs unless said otherwise:")
causal = torch.ones(n, n, dtype=torch.bool).tril()
for label, want_flash, kwargs in (
        ("no mask", True, {}), ("boolean (n, n) mask", True, {"attn_mask": causal}),
        ("float (B, H, n, n) mask", True, {"attn_mask": torch.zeros(B, H, n, n)}),
        ("dropout_p=0.1", False, {"dropout_p": 0.1}),
        ("3-D inputs", False, {"heads": False}), ("d_v = 2 d", False, {"dv": 2 * d}),
        ("3-D (B*H, n, n) mask", False, {"attn_mask": torch.zeros(B * H, n, n)}),
        ("mask that requires grad", False,
         {"attn_mask": torch.zeros(n, n, requires_grad=True)})):
    node = saved_for_backward(n, **kwargs)[0]
    print(f"  {label:24s} -> {node}")
    flash = "FlashAttentionForCpu" in node
    assert flash == want_flash, f"{label}: {'flash' if want_flash else 'math'} kernel"
with sdpa_kernel(SDPBackend.EFFICIENT_ATTENTION):  # the CUDA memory-efficient kernel
    try:
        F.scaled_dot_product_attention(*torch.randn(3, B, H, n, d))
        efficient = "runs"
    except RuntimeError:
        efficient = "is not available"
print(f"EFFICIENT_ATTENTION alone on the CPU: {efficient}")
assert efficient == "is not available", "no memory-efficient kernel on the CPU"

# %% Bytes saved for backward against sequence length
lengths = [128, 256, 512, 1024, 2048]
flash = [saved_for_backward(n, SDPBackend.FLASH_ATTENTION)[2] for n in lengths]
math = [saved_for_backward(n, SDPBackend.MATH)[2] for n in lengths]
print("    n   flash kernel bytes   math kernel bytes")
for n, f, m in zip(lengths, flash, math):
    print(f"{n:5d} {f:20,} {m:19,}")
for n, f, m in zip(lengths, flash, math):
    assert f == B * H * (n * d + n) * 4, "flash keeps O and a logsumexp per row"
    assert m >= B * H * n * n * 4, "math keeps at least the n x n weights"
print(f"at n = {lengths[-1]}: math / flash = {math[-1] / flash[-1]:.0f}x")

