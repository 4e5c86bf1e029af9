# %% Ridge by gradient descent lands on the closed form (X^T X + n lam I)^-1 X^T y
import torch

torch.manual_seed(0)
n, d = 60, 8
X = torch.randn(n, d, dtype=torch.float64)
w_true = torch.tensor([3.0, -2.0, 1.5, 0, 0, 0, 0, 0], dtype=torch.float64)
y = X @ w_true + 0.5 * torch.randn(n, dtype=torch.float64)
# loss(w) = 1/(2n) |Xw - y|^2 + lam/2 |w|^2  (the mean, as nn.MSELoss would use)
G, b = X.T @ X / n, X.T @ y / n
lr = 1 / torch.linalg.eigvalsh(G)[-1].item()  # a safe step for both problems

w_ols = torch.linalg.solve(G, b)
lam = 0.5
w = torch.zeros(d, dtype=torch.float64)
for _ in range(300):
    w = w - lr * (G @ w - b + lam * w)
w_ridge = torch.linalg.solve(G + lam * torch.eye(d, dtype=torch.float64), b)
print(f"|w_GD - w_closed| = {(w - w_ridge).norm():.1e}")
assert torch.allclose(w, w_ridge, atol=1e-10), "GD on the L2 loss -> closed form"
shrink = (w_ridge.norm() / w_ols.norm()).item()
print(f"ridge |w| / OLS |w| = {shrink:.3f}; exact zeros in ridge: "
      f"{int((w_ridge == 0).sum())}")
assert shrink < 1 and (w_ridge != 0).all(), "L2 shrinks every weight, zeros none"

# %% Lasso by proximal gradient (ISTA) gives exact zeros; coordinate descent agrees
def soft(z, t):  # the proximal step of t * |w|_1: shrink towards 0, clip at 0
    return z.sign() * (z.abs() - t).clamp(min=0)

def lasso_cd(lam, sweeps=40):  # a second algorithm: exact 1-D minimisation
    w = torch.zeros(d, dtype=torch.float64)
    for _ in range(sweeps):
        for j in range(d):
            rho = b[j] - G[j] @ w + G[j, j] * w[j]
            w[j] = soft(rho, lam) / G[j, j]
    return w

lam1 = 0.3
w_ista = torch.zeros(d, dtype=torch.float64)
for _ in range(400):  # ISTA: a gradient step on the data loss, then the prox step
    w_ista = soft(w_ista - lr * (G @ w_ista - b), lr * lam1)
w_cd = lasso_cd(lam1)
print("lasso (ISTA):", " ".join(f"{v:+.3f}" if v else "0" for v in w_ista))
print(f"|w_ISTA - w_CD| = {(w_ista - w_cd).norm():.1e}; "
      f"exact zeros: {int((w_ista == 0).sum())} of {d}")
assert torch.allclose(w_ista, w_cd, atol=1e-9), "ISTA and coordinate descent agree"
assert torch.equal(w_ista == 0, w_cd == 0), "same weights are exactly zero"
nz = w_ista != 0
assert (~nz).sum() >= 3, "L1 sets weights to exactly 0.0"
assert torch.equal(nz, w_true != 0), "lasso keeps exactly the three true signals"
g = b - G @ w_ista  # optimality: |g_j| <= lam where w_j = 0, g_j = lam sign(w_j) else
assert (g[~nz].abs() <= lam1 + 1e-9).all(), "KKT: zero weights inside the band"
assert torch.allclose(g[nz], lam1 * w_ista[nz].sign(), atol=1e-8), "KKT: on the band"

# %% Paths over lam: ridge weights never sit at 0; here, lasso ones hit 0 and stay
import matplotlib.pyplot as plt

lams = torch.logspace(-3, 0.5, 40, dtype=torch.float64)
eye = torch.eye(d, dtype=torch.float64)
ridge_path = torch.stack([torch.linalg.solve(G + a * eye, b) for a in lams])
W = torch.zeros(len(lams), d, dtype=torch.float64)
for _ in range(400):  # ISTA for all 40 penalties at once
    W = soft(W - lr * (W @ G - b), lr * lams[:, None])
lasso_path = W
last = [int((W[:, j] != 0).nonzero().max()) for j in range(d)]  # last nonzero lam
order = sorted(range(d), key=lambda j: last[j])
print("weights in the order they reach 0 as lam grows:", order)
assert set(order[-3:]) == {0, 1, 2}, "the three true signals are the last to go"
zero = lasso_path == 0  # here, not in general: once 0, it stays 0 for larger lam
assert (zero[1:] >= zero[:-1]).all(), "in this run, lasso zeros persist as lam grows"
cross = int((ridge_path[1:].sign() != ridge_path[:-1].sign()).any(0).sum())
print(f"ridge: weights exactly 0 anywhere on the path {int((ridge_path == 0).sum())}, "
      f"weights that cross zero between grid points {cross}")
assert (ridge_path != 0).all(), "ridge never sets a weight to exactly 0"
print(f"at lam = {lams[-1]:.2f}: ridge zeros {int((ridge_path[-1] == 0).sum())}, "
      f"lasso zeros {int((lasso_path[-1] == 0).sum())}")
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4), sharey=True, label=(
    "Coefficient paths for eight weights against the penalty strength on a log "
    "axis. Left, L2 (ridge): the coefficients shrink smoothly, the three large "
    "ones towards zero and some small ones across it, but none stays at zero. "
    "Right, L1 (lasso): coefficients fall to exactly zero one after another and "
    "stay there, the three true signals last"))
ax1.semilogx(lams, ridge_path)
ax2.semilogx(lams, lasso_path)
ax1.set(xlabel="lambda", ylabel="coefficient", title="L2 (ridge)")
ax2.set(xlabel="lambda", title="L1 (lasso)")
fig.tight_layout()
