# %% RMSNorm by hand: divide by the root mean square, scale by gamma; no mean, no beta
import copy

import torch
from torch import nn

torch.manual_seed(0)
d = 16
x = torch.randn(4, d) * 2 + 0.5
rms = nn.RMSNorm(d)
with torch.no_grad():
    rms.weight.uniform_(0.5, 1.5)  # a non-trivial gamma

def rms_norm(x, gamma, eps):
    return x / torch.sqrt(x.pow(2).mean(dim=-1, keepdim=True) + eps) * gamma

eps32 = torch.finfo(torch.float32).eps
print(f"nn.RMSNorm eps argument: {rms.eps}; float32 machine epsilon: {eps32:.3g}")
err = (rms(x) - rms_norm(x, rms.weight, eps32)).abs().max()
print(f"hand-written vs nn.RMSNorm: max difference {err:.1e}")
assert err < 1e-5, "RMSNorm = x / sqrt(mean(x^2) + eps) * gamma"
print("parameters: RMSNorm", sum(p.numel() for p in rms.parameters()),
      "LayerNorm", sum(p.numel() for p in nn.LayerNorm(d).parameters()))

# %% Which eps? Only visible when mean(x^2) is close to it
tiny = torch.randn(4, d) * 1e-3
print(f"mean square of the tiny input: {tiny.pow(2).mean():.1e}")
out = rms(tiny)
for name, eps in {"float32 eps": eps32, "1e-6": 1e-6, "1e-5": 1e-5}.items():
    gap = (out - rms_norm(tiny, rms.weight, eps)).abs().max()
    print(f"eps = {name:11s}: max difference {gap:.1e}")
    if name == "float32 eps":
        assert gap < 1e-5, "the default eps is the dtype's machine epsilon"
    else:
        assert gap > 1e-2, f"the default eps is not {name}"
for dtype in (torch.float16, torch.bfloat16):  # half-precision inputs: still float32's
    low = copy.deepcopy(rms).to(dtype)
    out_low, x_low = low(tiny.to(dtype)).float(), tiny.to(dtype).float()
    gaps = [(out_low - rms_norm(x_low, low.weight.float(), eps)).abs().max()
            for eps in (eps32, torch.finfo(dtype).eps)]
    print(f"{str(dtype):14s}: eps = float32 eps off by {gaps[0]:.1e}, "
          f"eps = its own eps off by {gaps[1]:.2f}")
    assert gaps[0] < 2e-2 < 1.0 < gaps[1], f"{dtype}: the default eps is float32's"

# %% What dropping the mean changes: scale invariance stays, shift invariance goes
ln = nn.LayerNorm(d, elementwise_affine=False)
plain_rms = nn.RMSNorm(d, elementwise_affine=False)
for name, norm in {"LayerNorm": ln, "RMSNorm": plain_rms}.items():
    scaled = (norm(3.0 * x) - norm(x)).abs().max()
    shifted = (norm(x + 2.0) - norm(x)).abs().max()
    print(f"{name:9s}: x -> 3x changes the output by {scaled:.1e}, "
          f"x -> x + 2 by {shifted:.2f}")
    assert scaled < 1e-5, f"{name} is invariant to rescaling its input"
    if name == "LayerNorm":
        assert shifted < 1e-5, "LayerNorm is invariant to a shift"
    else:
        assert shifted > 0.1, "RMSNorm is not"
centred = x - x.mean(dim=-1, keepdim=True)  # for zero-mean inputs they coincide
ln_eps = nn.LayerNorm(d, eps=eps32, elementwise_affine=False)
gap = (ln_eps(centred) - plain_rms(centred)).abs().max()
print(f"zero-mean input: LayerNorm vs RMSNorm differ by {gap:.1e}")
assert gap < 1e-5, "on zero-mean input, RMS = standard deviation"
