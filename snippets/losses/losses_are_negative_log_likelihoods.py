# %% Cross-entropy is the negative log-likelihood of a categorical distribution
import math
import torch
import torch.nn.functional as F
from torch.distributions import Bernoulli, Categorical, Laplace, Normal

torch.manual_seed(0)
logits, target = torch.randn(8, 5), torch.randint(0, 5, (8,))    # 8 samples, 5 classes
ce = F.cross_entropy(logits, target)
nll = F.nll_loss(F.log_softmax(logits, dim=1), target)
by_hand = -F.log_softmax(logits, dim=1)[torch.arange(8), target].mean()
print(f"cross_entropy {ce:.4f} | nll_loss(log_softmax) {nll:.4f} | "
      f"-mean log p[target] {by_hand:.4f}")
assert torch.allclose(ce, nll) and torch.allclose(ce, by_hand)
assert torch.allclose(ce, -Categorical(logits=logits).log_prob(target).mean())
wrong = F.cross_entropy(F.softmax(logits, dim=1), target)        # softmax applied twice
print(f"cross_entropy on probabilities instead of logits: {wrong:.4f} (wrong)")
assert not torch.allclose(ce, wrong)

# %% Each common loss is an NLL under some noise model (up to a constant)
pred, y = torch.randn(100), torch.randn(100)
gauss = -Normal(pred, 1.0).log_prob(y).mean()                    # Gaussian noise -> MSE
assert torch.allclose(gauss, 0.5 * F.mse_loss(pred, y) + 0.5 * math.log(2 * math.pi))
# Laplace noise -> L1 (MAE)
laplace = -Laplace(pred, 1.0).log_prob(y).mean()
assert torch.allclose(laplace, F.l1_loss(pred, y) + math.log(2))
# Bernoulli -> binary cross-entropy
labels = (y > 0).float()
bern = -Bernoulli(logits=pred).log_prob(labels).mean()
assert torch.allclose(bern, F.binary_cross_entropy_with_logits(pred, labels))
# learned variance -> Gaussian NLL loss
var = torch.full_like(pred, 0.5)
assert torch.allclose(F.gaussian_nll_loss(pred, y, var),
                      -Normal(pred, var.sqrt()).log_prob(y).mean()
                      - 0.5 * math.log(2 * math.pi))
print("MSE, L1, BCE and GaussianNLLLoss all equal a negative log-likelihood "
      "up to constants")
