# %% GELU and SiLU written out, against torch's own functions
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import matplotlib.pyplot as plt

torch.manual_seed(0)
x = torch.linspace(-6, 6, 2401, dtype=torch.float64)
gelu = x * 0.5 * (1 + torch.erf(x / math.sqrt(2)))  # x * Phi(x)
c = math.sqrt(2 / math.pi)
gelu_tanh = 0.5 * x * (1 + torch.tanh(c * (x + 0.044715 * x**3)))
silu = x * torch.sigmoid(x)
assert torch.allclose(gelu, F.gelu(x), atol=1e-12), "GELU = x Phi(x)"
assert torch.allclose(gelu_tanh, F.gelu(x, approximate="tanh"), atol=1e-12), (
    "approximate='tanh' is the tanh formula")
assert torch.allclose(silu, F.silu(x), atol=1e-12), "SiLU = x sigmoid(x)"
err = (gelu - gelu_tanh).abs().max()
err_sig = (gelu - x * torch.sigmoid(1.702 * x)).abs().max()
print(f"max |GELU - tanh approximation| on [-6, 6]: {err:.1e}")
print(f"max |GELU - x sigmoid(1.702 x)|:            {err_sig:.1e}")
assert err < 1e-3 < err_sig, "the tanh form is much closer than the sigmoid form"
for name, v in [("GELU", gelu), ("SiLU", silu)]:
    i = v.argmin()
    print(f"{name}: minimum {v[i]:.3f} at x = {x[i]:.2f} (ReLU never goes below 0)")
for v in (gelu, silu):  # the minimum lies inside: down, then up again
    assert v.min() < 0 and v[0] > v.min() < v[-1], "both dip below 0: not monotonic"

fig, ax = plt.subplots(figsize=(6, 3.4), label=(
    "ReLU, GELU and SiLU between -4 and 3: GELU and SiLU follow ReLU for large "
    "positive and negative inputs but are smooth at zero and dip slightly below "
    "zero for negative inputs, SiLU further (to about -0.28) than GELU (about -0.17)"))
keep = (x > -4) & (x < 3)
for name, v in [("ReLU", F.relu(x)), ("GELU", gelu), ("SiLU", silu)]:
    ax.plot(x[keep], v[keep], label=name)
ax.set(xlabel="x", ylabel="activation")
ax.legend()
fig.tight_layout()

# %% A SwiGLU FFN at 2/3 of the width has the GELU FFN's parameters and FLOPs
d = 768  # T5-base width, as in Shazeer (2020)

class SwiGLU(nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.gate = nn.Linear(d, hidden, bias=False)  # W, through SiLU
        self.up = nn.Linear(d, hidden, bias=False)    # V, linear
        self.down = nn.Linear(hidden, d, bias=False)  # W2

    def forward(self, h):
        return self.down(F.silu(self.gate(h)) * self.up(h))

gelu_ffn = nn.Sequential(nn.Linear(d, 4 * d, bias=False), nn.GELU(),
                         nn.Linear(4 * d, d, bias=False))
hidden = 2 * 4 * d // 3
swiglu = SwiGLU(d, hidden)
count = lambda m: sum(p.numel() for p in m.parameters())
print(f"GELU FFN, hidden {4 * d}: {count(gelu_ffn):,} parameters")
print(f"SwiGLU FFN, hidden {hidden}: {count(swiglu):,} parameters")
assert count(gelu_ffn) == count(swiglu) == 8 * d * d, "both have 8 d^2 parameters"
assert count(SwiGLU(d, 4 * d)) == 12 * d * d, "at full width SwiGLU has 1.5x"

h = torch.randn(4, d)
fused = torch.cat([swiglu.gate.weight, swiglu.up.weight])  # one matmul for both
a, b = (h @ fused.T).chunk(2, dim=-1)
with torch.no_grad():
    assert torch.allclose(swiglu(h), F.silu(a) * b @ swiglu.down.weight.T,
                          atol=1e-5), "a second implementation, one fused matmul"
llama = 256 * -(-int(2 * 4 * 4096 / 3) // 256)  # 2/3 of 4d, rounded up to 256
print(f"LLaMA-7B rule for d = 4096: {int(2 * 4 * 4096 / 3)} -> {llama}")
assert llama == 11008, "LLaMA-7B's published FFN size"
