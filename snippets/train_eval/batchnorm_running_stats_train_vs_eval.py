# %% train(): normalise with the batch's statistics and update the running averages
import torch
from torch import nn

torch.manual_seed(0)
bn = nn.BatchNorm1d(3, momentum=0.1)  # running_mean starts at 0, running_var at 1
x = torch.randn(8, 3) * 2 + 5  # features centred at 5 with std 2

bn.train()
y = bn(x)
mean, var_biased = x.mean(0), x.var(0, unbiased=False)
assert torch.allclose(y, (x - mean) / torch.sqrt(var_biased + bn.eps), atol=1e-5), \
    "train mode normalises with the batch mean and biased variance"
# running stats: exponential moving average, with the *unbiased* batch variance
assert torch.allclose(bn.running_mean, 0.9 * 0 + 0.1 * mean), \
    "running mean: EMA with momentum 0.1"
assert torch.allclose(bn.running_var, 0.9 * 1 + 0.1 * x.var(0, unbiased=True)), \
    "running var: EMA of the unbiased batch variance"
print("after 1 train batch   running_mean:", bn.running_mean.numpy().round(2))
cumulative = nn.BatchNorm1d(3, momentum=None)  # plain average over all batches seen
for batch in (x, 2 * x):
    cumulative(batch)
assert torch.allclose(cumulative.running_mean, (mean + 2 * mean) / 2), \
    "momentum=None gives the plain average of the batch means"
for _ in range(100):
    bn(torch.randn(8, 3) * 2 + 5)
print("after 101 train batches running_mean:", bn.running_mean.numpy().round(2),
      " running_var:", bn.running_var.numpy().round(2))
assert torch.allclose(bn.running_mean, torch.full((3,), 5.0), atol=0.5), \
    "the running mean approaches the true mean 5"

# %% eval(): normalise with the stored running statistics, and leave them alone
bn.eval()
frozen = {k: v.clone() for k, v in bn.state_dict().items()}
test = torch.randn(4, 3) * 2 + 5
y = bn(test)
expected = (test - bn.running_mean) / torch.sqrt(bn.running_var + bn.eps)
assert torch.allclose(y, expected * bn.weight + bn.bias, atol=1e-5), \
    "eval mode uses the running statistics, then gamma and beta"
assert all(torch.equal(frozen[k], v) for k, v in bn.state_dict().items()), \
    "eval mode leaves every buffer unchanged"
print("eval forward used the running stats; buffers unchanged:", True)
# "eval() disables batch norm" is wrong: it still normalises (an affine map)
assert not torch.allclose(y, test), \
    "eval mode is not the identity"
print("eval() still normalises: first test row", test[0].numpy().round(2),
      "->", y[0].detach().numpy().round(2))
