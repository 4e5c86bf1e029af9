# %% 20-D data that secretly has 2 degrees of freedom (4 clusters on a curved 2-D sheet)
import matplotlib.pyplot as plt
import torch
import torch.nn as nn

torch.manual_seed(0)
n, d = 400, 20
label = torch.arange(n) % 4
centres = torch.tensor([[-1.0, -1], [-1, 1], [1, -1], [1, 1]])
z_true = centres[label] + 0.3 * torch.randn(n, 2)
# fixed random non-linear map
lift = nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, d))
with torch.no_grad():
    X = lift(z_true)
    mean, std = X.mean(0), X.std(0)
    X = (X - mean) / std

# bottleneck: 2 numbers
encoder = nn.Sequential(nn.Linear(d, 64), nn.ReLU(), nn.Linear(64, 2))
decoder = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, d))
opt = torch.optim.Adam([*encoder.parameters(), *decoder.parameters()], lr=3e-3)
for step in range(400):  # denoising: corrupt the input, reconstruct the CLEAN data
    noisy = X + 0.5 * torch.randn_like(X)
    loss = (decoder(encoder(noisy)) - X).pow(2).mean()
    opt.zero_grad(); loss.backward(); opt.step()

# %% On 400 held-out points: the code and the denoising vs PCA to 2-D
with torch.no_grad():  # fresh points from the same clusters, with the training scaling
    X_test = (lift(centres[label] + 0.3 * torch.randn(n, 2)) - mean) / std
    noisy = X_test + 0.5 * torch.randn_like(X_test)
    code = encoder(noisy)
    err_in = (noisy - X_test).pow(2).mean().item()
    err_out = (decoder(code) - X_test).pow(2).mean().item()
    pcs = torch.linalg.svd(X, full_matrices=False).Vh[:2].T  # top-2 PCs of clean X
    err_pca = (noisy @ pcs @ pcs.T - X_test).pow(2).mean().item()


def same_cluster_rate(z):  # how often a point's nearest neighbour shares its cluster
    dist = torch.cdist(z, z).fill_diagonal_(float("inf"))
    return (label[dist.argmin(1)] == label).float().mean().item()


nn_acc, nn_pca = same_cluster_rate(code), same_cluster_rate(noisy @ pcs)
print(f"MSE to clean data: noisy input {err_in:.3f} -> PCA-2 {err_pca:.3f}, "
      f"autoencoder {err_out:.3f}")
print(f"nearest neighbour has the same cluster: 2-D code {nn_acc:.3f}, "
      f"PCA-2 {nn_pca:.3f} (chance 0.25)")
assert err_out < err_in / 3, "output much closer to clean data"
assert err_out < err_pca / 2, (
    "the non-linear 2-D code reconstructs far better than a PCA projection to 2-D"
)
assert nn_acc > 0.9, "the 2-D code keeps the cluster structure (chance is 0.25)"

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Scatter plot of the autoencoder's 2-D codes for 400 held-out noisy inputs: the "
    "four clusters form four separate groups"
))
for c in range(4):
    ax.scatter(*code[label == c].T, s=6, label=f"cluster {c}")
ax.set(xlabel="code 1", ylabel="code 2",
       title="2-D bottleneck of a denoising autoencoder")
ax.legend(fontsize=8, markerscale=2)
fig.tight_layout()
