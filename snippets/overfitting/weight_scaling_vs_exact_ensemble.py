# %% Enumerate every thinned network; compare their average with the eval-mode network
import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
n, p = 10, 0.5  # dropout on 10 input units: 2**10 = 1024 thinned networks
# every mask, one per row
keep = ((torch.arange(2**n)[:, None] >> torch.arange(n)) & 1).bool()
k = keep.sum(1)
prob = (1 - p) ** k * p ** (n - k)  # probability of drawing each mask
assert torch.isclose(prob.sum(), torch.tensor(1.0)), "the mask probabilities sum to 1"
print(f"{len(keep)} thinned networks (every keep-mask on {n} units)")
x = torch.randn(n)
# (1024, n): inverted dropout applied with each mask
thinned_inputs = keep * x / (1 - p)


def compare(name, net):
    eval_probs = net(x).softmax(-1)  # eval mode: no mask, no scaling
    log_probs = net(thinned_inputs).log_softmax(-1)  # (1024, classes)
    arithmetic = (prob[:, None] * log_probs.exp()).sum(0)
    # normalised weighted geometric mean
    geometric = (prob[:, None] * log_probs).sum(0).softmax(-1)
    gap_geo = (eval_probs - geometric).abs().max().item()
    gap_ari = (eval_probs - arithmetic).abs().max().item()
    print(f"{name:<18}: |eval - geometric mean| = {gap_geo:.1e}, "
          f"|eval - arithmetic mean| = {gap_ari:.1e}")
    return gap_geo, gap_ari


W, b = torch.randn(3, n), torch.randn(3)
gap_geo, gap_ari = compare("softmax layer", lambda v: v @ W.T + b)
assert gap_geo < 1e-12, (
    "one softmax layer: eval mode IS the geometric mean of all thinned networks"
)
assert gap_ari > 1e-2, "...but not their arithmetic mean"

W1, W2 = torch.randn(16, n) / n**0.5, torch.randn(3, 16)
gap_geo, gap_ari = compare("ReLU hidden layer", lambda v: torch.relu(v @ W1.T) @ W2.T)
assert gap_geo > 1e-2 and gap_ari > 1e-2, (
    "with a nonlinearity, weight scaling only approximates the ensemble"
)
