# %% Autoencoder on 1-D images: one bump at a random position (one degree of freedom)
import matplotlib.pyplot as plt
import torch
import torch.nn as nn

torch.manual_seed(0)
grid = torch.arange(32.0)
def bump(pos):
    return torch.exp(-0.5 * ((grid - pos[:, None]) / 3) ** 2)
X = bump(torch.rand(256) * 20 + 6)                 # positions 6..26

# 1-D latent space
encoder = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 1))
decoder = nn.Sequential(nn.Linear(1, 64), nn.ReLU(), nn.Linear(64, 32))
opt = torch.optim.Adam([*encoder.parameters(), *decoder.parameters()], lr=3e-3)
for step in range(500):
    loss = (decoder(encoder(X)) - X).pow(2).mean()
    opt.zero_grad(); loss.backward(); opt.step()
print(f"reconstruction MSE: {loss.item():.4f}")

# %% Go from a bump at 8 to a bump at 24: along the latent line vs by averaging pixels
a, b = bump(torch.tensor([8.0, 24.0]))
alphas = torch.linspace(0, 1, 7)
with torch.no_grad():
    za, zb = encoder(a), encoder(b)
    via_latent = decoder(torch.stack([(1 - t) * za + t * zb for t in alphas]))
via_pixels = torch.stack([(1 - t) * a + t * b for t in alphas])
heights, pos = via_latent.max(1).values, via_latent.argmax(1)
print("latent path: peak heights", [round(v, 2) for v in heights.tolist()])
print("latent path: peak positions", pos.tolist())
print("pixel path:  peak heights",
      [round(v, 2) for v in via_pixels.max(1).values.tolist()])
assert (heights > 0.9).all(), "every latent point decodes to a full-height bump"
assert pos[0] == 8 and pos[-1] == 24, "the path starts and ends at the two inputs"
assert (pos.diff() > 0).all() and pos.diff().max() <= 4, (
    "and the bump slides from 8 to 24 in small steps, with no jump"
)
# contrast, plain arithmetic with no model: the pixel average of the two bumps
assert via_pixels[3].max() < 0.55 and via_pixels[3][16] < 0.1, (
    "the pixel midpoint is two half-height bumps, with nothing at 16"
)

fig, axes = plt.subplots(1, 2, figsize=(6, 3.5), sharey=True, label=(
    "Decoding evenly spaced points between two latent codes slides one full-height "
    "bump from position 8 to 24; averaging the pixels instead fades one bump out and "
    "the other in"
))
for t, lat, pix in zip(alphas.tolist(), via_latent, via_pixels):
    axes[0].plot(grid, lat, label=f"t={t:.2f}")
    axes[1].plot(grid, pix, label=f"t={t:.2f}")
axes[0].set(title="interpolate latent codes", xlabel="position", ylabel="value")
axes[1].set(title="interpolate pixels", xlabel="position")
axes[1].legend(fontsize=7)
fig.tight_layout()
