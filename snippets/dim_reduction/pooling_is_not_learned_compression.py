# %% Compress length-32 signals to 4 numbers: average pooling vs a learned linear code
import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
t = torch.arange(32.0)
# every signal lives in a 4-D subspace: sin/cos at frequencies 5 and 11
def signals(n):
    a = torch.randn(n, 4)
    waves = torch.stack([
        torch.sin(2 * torch.pi * 5 * t / 32), torch.cos(2 * torch.pi * 5 * t / 32),
        torch.sin(2 * torch.pi * 11 * t / 32), torch.cos(2 * torch.pi * 11 * t / 32),
    ])
    return a @ waves
X_train, X_test = signals(256), signals(256)

# 32 -> 4, fixed, nothing to learn
pool = nn.AvgPool1d(8)
pooled = pool(X_test.unsqueeze(1))                      # (n, 1, 4)
# best simple way back
from_pool = F.interpolate(pooled, size=32, mode="linear").squeeze(1)

# 32 -> 4 -> 32, learned
enc, dec = nn.Linear(32, 4, bias=False), nn.Linear(4, 32, bias=False)
opt = torch.optim.Adam([*enc.parameters(), *dec.parameters()], lr=1e-2)
for step in range(300):
    loss = (dec(enc(X_train)) - X_train).pow(2).mean()
    opt.zero_grad(); loss.backward(); opt.step()
with torch.no_grad():
    from_code = dec(enc(X_test))

mse_pool = (from_pool - X_test).pow(2).mean().item()
mse_code = (from_code - X_test).pow(2).mean().item()
print(f"parameters in AvgPool1d: {sum(p.numel() for p in pool.parameters())}")
print(f"test MSE from 4 numbers: pooling {mse_pool:.3f}   "
      f"learned code {mse_code:.4f}   (signal power {X_test.pow(2).mean():.3f})")
assert sum(p.numel() for p in pool.parameters()) == 0
assert mse_pool > 0.9 * X_test.pow(2).mean(), (
    "pooling loses about as much as predicting all zeros"
)
assert mse_code < 0.01 * mse_pool, "a code learned from the data keeps what matters"

# %% A CNN "with pooling" usually makes activations LARGER, not smaller
img = torch.randn(1, 3, 64, 64)
stem = nn.Sequential(nn.Conv2d(3, 64, 7, stride=2, padding=3), nn.ReLU(),
                     nn.MaxPool2d(3, 2, padding=1))
after_conv, after_pool = stem[:2](img), stem(img)
print(f"numbers per image: input {img.numel()}, after conv {after_conv.numel()}, "
      f"after max-pool {after_pool.numel()}")
assert after_pool.numel() > img.numel(), (
    "more channels outweigh the smaller spatial grid"
)

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "One test signal: the reconstruction from 4 learned code values overlaps the "
    "signal, while the reconstruction from 4 average-pooled values is nearly flat"
))
ax.plot(t, X_test[0], "k", lw=2, label="signal")
ax.plot(t, from_code[0], "--", label="from 4 learned code values")
ax.plot(t, from_pool[0], label="from 4 pooled values")
ax.set(xlabel="time step", ylabel="value")
ax.legend(fontsize=8)
fig.tight_layout()
