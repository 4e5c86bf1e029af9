# %% Cross-entropy is the negative log-likelihood of a categorical distribution
import math
import torch
import torch.nn.functional as F
from torch.distributions import Bernoulli, Categorical, Laplace, Normal, Poisson

torch.manual_seed(0)
logits, target = torch.randn(8, 5), torch.randint(0, 5, (8,))    # 8 samples, 5 classes
ce = F.cross_entropy(logits, target)
nll = F.nll_loss(F.log_softmax(logits, dim=1), target)
by_hand = -F.log_softmax(logits, dim=1)[torch.arange(8), target].mean()
print(f"cross_entropy {ce:.4f} | nll_loss(log_softmax) {nll:.4f} | "
      f"-mean log p[target] {by_hand:.4f}")
assert torch.allclose(ce, nll) and torch.allclose(ce, by_hand), "CE = NLL(log_softmax)"
assert torch.allclose(ce, -Categorical(logits=logits).log_prob(target).mean()), (
    "CE = categorical negative log-likelihood"
)
wrong = F.cross_entropy(F.softmax(logits, dim=1), target)        # softmax applied twice
print(f"cross_entropy on probabilities instead of logits: {wrong:.4f} (wrong)")
assert not torch.allclose(ce, wrong), "a softmax in front changes the loss silently"
# probabilities lie in [0, 1]: the most confident input the loss can see is one-hot
one_hot = F.one_hot(target, 5).float()
p_max = math.e / (math.e + 4)                    # softmax([1, 0, 0, 0, 0])[0]
floor = F.cross_entropy(one_hot, target)
print(f"best case after a softmax: p = {p_max:.4f}, loss = {floor:.4f} (not 0)")
assert torch.isclose(floor, torch.tensor(-math.log(p_max))), "loss floor -log p_max"
assert (F.cross_entropy(F.softmax(logits, 1), target, reduction="none")
        >= floor - 1e-6).all(), "no example gets below the floor"

# %% Each common loss is an NLL under some noise model (up to a constant)
pred, y = torch.randn(100), torch.randn(100)
gauss = -Normal(pred, 1.0).log_prob(y).mean()                    # Gaussian noise -> MSE
assert torch.allclose(gauss, 0.5 * F.mse_loss(pred, y) + 0.5 * math.log(2 * math.pi)), (
    "Gaussian NLL = MSE / 2 + constant"
)
# Laplace noise -> L1 (MAE)
laplace = -Laplace(pred, 1.0).log_prob(y).mean()
assert torch.allclose(laplace, F.l1_loss(pred, y) + math.log(2)), "Laplace NLL = L1 + c"
# Bernoulli -> binary cross-entropy
labels = (y > 0).float()
bern = -Bernoulli(logits=pred).log_prob(labels).mean()
assert torch.allclose(bern, F.binary_cross_entropy_with_logits(pred, labels)), (
    "Bernoulli NLL = BCE"
)
# learned variance -> Gaussian NLL loss
var = torch.full_like(pred, 0.5)
gauss_var = -Normal(pred, var.sqrt()).log_prob(y).mean()
assert torch.allclose(F.gaussian_nll_loss(pred, y, var),
                      gauss_var - 0.5 * math.log(2 * math.pi)), (
    "GaussianNLLLoss = Gaussian NLL without its constant"
)
# counts -> Poisson; by default PoissonNLLLoss takes the log of the rate
rate, counts = pred.exp(), torch.poisson(torch.full((100,), 3.0))
poisson = -(Poisson(rate).log_prob(counts) + torch.lgamma(counts + 1)).mean()
assert torch.allclose(F.poisson_nll_loss(rate.log(), counts), poisson), (
    "PoissonNLLLoss(log rate) = Poisson NLL without log(y!)"
)
print("MSE, L1, BCE, GaussianNLLLoss and PoissonNLLLoss each equal a negative "
      "log-likelihood up to constants")
