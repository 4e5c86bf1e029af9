# %% A linear autoencoder (10 -> 2 -> 10) trained with MSE, compared with PCA
import math
import torch
import torch.nn as nn

torch.manual_seed(0)
n, d, k = 500, 10, 2
basis, _ = torch.linalg.qr(torch.randn(d, d))          # random orthonormal directions
scales = torch.tensor([3.0, 2.0] + [0.3] * (d - 2))   # two dominant directions
X = (torch.randn(n, d) * scales) @ basis.T
X = X - X.mean(0)

encoder, decoder = nn.Linear(d, k), nn.Linear(k, d)
opt = torch.optim.Adam([*encoder.parameters(), *decoder.parameters()], lr=1e-2)
for step in range(500):  # full batch, plain MSE, no activation anywhere
    loss = (decoder(encoder(X)) - X).pow(2).mean()
    opt.zero_grad(); loss.backward(); opt.step()

# %% Compare the subspaces: principal angles between span(decoder) and the top-k PCs
pca_dirs = torch.linalg.svd(X, full_matrices=False).Vh[:k].T    # d x k, orthonormal
# orthonormal basis of the AE's span
Q, _ = torch.linalg.qr(decoder.weight.detach())
cosines = torch.linalg.svdvals(pca_dirs.T @ Q).clamp(max=1)
angles = [math.degrees(math.acos(c)) for c in cosines.tolist()]
print("principal angles (degrees):", [round(a, 2) for a in angles])
assert max(angles) < 2, "the linear AE spans the PCA subspace"

pca_mse = (X - X @ pca_dirs @ pca_dirs.T).pow(2).mean().item()
print(f"reconstruction MSE  autoencoder {loss.item():.4f}   PCA {pca_mse:.4f}")
assert abs(loss.item() - pca_mse) < 0.01 * pca_mse, "same optimum as PCA"

# %% ...but the autoencoder's axes are not the principal components themselves
W = decoder.weight.detach()
print("decoder W^T W (would be the identity for PCA):\n", (W.T @ W).numpy().round(2))
assert not torch.allclose(W.T @ W, torch.eye(k), atol=0.1), (
    "any invertible mix of the PCs is an equally good optimum"
)
