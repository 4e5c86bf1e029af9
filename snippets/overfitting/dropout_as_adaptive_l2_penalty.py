# %% Linear regression with input dropout: average the loss over every mask exactly
import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
n, p = 8, 0.3
keep = ((torch.arange(2**n)[:, None] >> torch.arange(n)) & 1).bool()  # all 256 masks
prob = (1 - p) ** keep.sum(1) * p ** (~keep).sum(1)  # probability of each mask
# features with very different scales
X = torch.randn(20, n) * torch.linspace(0.2, 3.0, n)
y, w = torch.randn(20), torch.randn(n)

# (sample, mask): inverted dropout on the inputs
preds = (keep[None] * X[:, None, :] / (1 - p)) @ w
expected_dropout_loss = ((preds - y[:, None]) ** 2 @ prob).mean()
plain_loss = ((X @ w - y) ** 2).mean()
# L2 on w_j, weighted by feature j's mean square
penalty = p / (1 - p) * ((X**2).mean(0) * w**2).sum()
print(f"expected loss under dropout: {expected_dropout_loss:.6f}")
print(f"plain loss + penalty:        {plain_loss + penalty:.6f}  "
      f"(penalty = {penalty:.4f})")
assert torch.isclose(expected_dropout_loss, plain_loss + penalty), (
    "dropout = data-dependent L2 here"
)
