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
# orthonormal basis of the AE's span; angles in float64 (float32 blurs them by 0.02 deg)
Q, _ = torch.linalg.qr(decoder.weight.detach().double())
cosines = torch.linalg.svdvals(pca_dirs.double().T @ Q).clamp(max=1)
angles = [math.degrees(math.acos(c)) for c in cosines.tolist()]
print("principal angles (degrees):", [round(a, 2) for a in angles])
assert max(angles) < 2, "the linear AE spans the PCA subspace"

pca_mse = (X - X @ pca_dirs @ pca_dirs.T).pow(2).mean().item()
print(f"reconstruction MSE  autoencoder {loss.item():.4f}   PCA {pca_mse:.4f}")
assert abs(loss.item() - pca_mse) < 0.01 * pca_mse, "same optimum as PCA"

# %% ...but the autoencoder's axes are not the principal components themselves
def angle(u, v):  # angle between two lines through the origin, in degrees (float64)
    u, v = u.double(), v.double()
    cos = (abs(u @ v) / (u.norm() * v.norm())).item()
    return math.degrees(math.acos(min(1.0, cos)))


def to_nearest_pc(dirs):  # each column's angle to whichever PC is closest to it
    return [min(angle(dirs[:, j], pca_dirs[:, i]) for i in range(k)) for j in range(k)]


W = decoder.weight.detach()                       # d x k, one column per code unit
print("decoder W^T W (the identity if the columns were orthonormal PCs):\n",
      (W.T @ W).numpy().round(2))
to_pc = to_nearest_pc(W)
print("each decoder column's angle to its closest PC (degrees):",
      [round(a, 1) for a in to_pc])
U_dec = torch.linalg.svd(W, full_matrices=False).U  # orthonormal axes of the span
svd_to_pc = to_nearest_pc(U_dec)
print("each left singular vector's angle to its closest PC (degrees):",
      [round(a, 1) for a in svd_to_pc])
assert min(to_pc) > 10, "every code axis is a mix of the PCs, not one of them"
assert (W.T @ W - torch.eye(k)).abs().max() > 0.5, "and the columns are not orthonormal"
assert min(svd_to_pc) > 10, "even the decoder's singular vectors are not the PCs"

# %% Getting the components back: PCA of the reconstructions, not of the codes
with torch.no_grad():
    codes, recon = encoder(X), decoder(encoder(X))
from_recon = torch.linalg.svd(recon - recon.mean(0), full_matrices=False).Vh[:k].T
u = torch.linalg.svd(codes - codes.mean(0), full_matrices=False).Vh  # PCs of the codes
from_codes = W @ u.T                         # ...mapped to data space by the decoder
recon_to_pc = [angle(from_recon[:, i], pca_dirs[:, i]) for i in range(k)]
codes_to_pc = to_nearest_pc(from_codes)
print("PCA of the reconstructions vs PC1, PC2 (degrees):",
      ", ".join(f"{a:.4f}" for a in recon_to_pc))
print("PCA of the codes, decoded: angle to the closest PC (degrees):",
      [round(a, 2) for a in codes_to_pc])
assert max(recon_to_pc) < 1, (
    "the reconstructions lie in the PCA subspace, so their PCs are the true PCs"
)
assert min(codes_to_pc) > 1, (
    "PCA of the codes is off: the codes are a non-orthogonal mix of the PCs"
)

# %% With an L2 penalty on both weight matrices, the decoder's SVD gives the PCs
torch.manual_seed(0)
lam = 0.5                                    # must be below the top-k variances
enc_l2, dec_l2 = nn.Linear(d, k, bias=False), nn.Linear(k, d, bias=False)
opt = torch.optim.Adam([*enc_l2.parameters(), *dec_l2.parameters()], lr=1e-2)
for step in range(500):
    penalty = enc_l2.weight.pow(2).sum() + dec_l2.weight.pow(2).sum()
    loss_l2 = (dec_l2(enc_l2(X)) - X).pow(2).sum(1).mean() + lam * penalty
    opt.zero_grad(); loss_l2.backward(); opt.step()
U_l2, S_l2, _ = torch.linalg.svd(dec_l2.weight.detach(), full_matrices=False)
variances = torch.linalg.svdvals(X)[:k] ** 2 / n       # the top-k PCA variances
predicted = (1 - lam / variances).sqrt()     # sqrt(1 - lam/var): Kunin et al. (2019)
l2_to_pc = [angle(U_l2[:, i], pca_dirs[:, i]) for i in range(k)]
print("L2: left singular vectors vs PC1, PC2 (degrees):",
      ", ".join(f"{a:.4f}" for a in l2_to_pc))
print("top-2 variances", variances.numpy().round(2), "| L2: singular values",
      S_l2.numpy().round(4), "predicted", predicted.numpy().round(4))
assert max(l2_to_pc) < 1, (
    "with L2, the decoder's left singular vectors are the PCs, in order"
)
assert torch.allclose(S_l2, predicted, atol=1e-3), "singular values as theory predicts"
