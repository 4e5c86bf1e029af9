# %% Batch norm by hand: one mean and variance per channel, over (N, H, W)
import torch
from torch import nn

torch.manual_seed(0)
N, C, H, W = 4, 3, 4, 4  # each channel's statistics use N*H*W = 64 values
shift = torch.tensor([2.0, -1.0, 0.0]).view(1, C, 1, 1)
scale = torch.tensor([1.0, 3.0, 0.5]).view(1, C, 1, 1)
x = (torch.randn(N, C, H, W) * scale + shift).requires_grad_()

bn = nn.BatchNorm2d(C).train()
with torch.no_grad():  # non-trivial gamma and beta, so that they are tested too
    bn.weight.copy_(torch.tensor([1.5, 0.5, 2.0]))
    bn.bias.copy_(torch.tensor([0.1, -0.2, 0.3]))

def batch_norm(x, gamma, beta, eps, dims=(0, 2, 3), unbiased=False):
    mean = x.mean(dim=dims, keepdim=True)
    var = x.var(dim=dims, unbiased=unbiased, keepdim=True)
    x_hat = (x - mean) / torch.sqrt(var + eps)
    return gamma.view(1, -1, 1, 1) * x_hat + beta.view(1, -1, 1, 1), x_hat

y = bn(x)
ours, x_hat = batch_norm(x, bn.weight, bn.bias, bn.eps)
print(f"max |hand-written - nn.BatchNorm2d|: {(ours - y).abs().max():.1e}")
assert torch.allclose(ours, y, atol=1e-5), "per channel over (N, H, W), biased var"
for name, kwargs in {"unbiased variance": {"unbiased": True},
                     "statistics over (H, W) only": {"dims": (2, 3)}}.items():
    gap = (batch_norm(x, bn.weight, bn.bias, bn.eps, **kwargs)[0] - y).abs().max()
    print(f"with {name:27s} the output is off by up to {gap:.3f}")
    assert gap > 1e-3, f"{name} is not what nn.BatchNorm2d computes"

# %% Backward: the closed form matches autograd through nn.BatchNorm2d
g = torch.randn_like(y)  # an arbitrary upstream gradient dL/dy
y.backward(g)
dims = (0, 2, 3)
sigma = torch.sqrt(x.var(dim=dims, unbiased=False, keepdim=True) + bn.eps)
gamma = bn.weight.view(1, C, 1, 1)
dx = gamma / sigma * (g - g.mean(dims, keepdim=True)
                      - x_hat * (g * x_hat).mean(dims, keepdim=True))
assert torch.allclose(dx, x.grad, atol=1e-5), "dL/dx closed form"
assert torch.allclose((g * x_hat).sum(dims), bn.weight.grad, atol=1e-4), "dL/dgamma"
assert torch.allclose(g.sum(dims), bn.bias.grad, atol=1e-4), "dL/dbeta"
print("closed-form gradients for x, gamma and beta match autograd")
print(f"largest |sum of dL/dx over a channel|: {x.grad.sum(dims).abs().max():.1e} "
      f"(a single entry is up to {x.grad.abs().max():.2f})")
assert torch.allclose(x.grad.sum(dims), torch.zeros(C), atol=1e-4), \
    "the input gradient sums to zero over each channel"

# %% gamma and beta can undo the normalisation
learnable = [name for name, _ in bn.named_parameters()]
buffers = [name for name, _ in bn.named_buffers()]
print("learned by gradient descent:", learnable, " buffers:", buffers)
assert learnable == ["weight", "bias"], "only gamma (weight) and beta (bias) learn"
xd = x.detach()
mu, var = xd.mean(dim=dims), xd.var(dim=dims, unbiased=False)
identity = nn.BatchNorm2d(C).train()
with torch.no_grad():  # gamma = sqrt(var + eps), beta = mean of this batch
    identity.weight.copy_(torch.sqrt(var + identity.eps))
    identity.bias.copy_(mu)
    back = identity(xd)
print(f"gamma = sqrt(var + eps), beta = mean: max |output - input| "
      f"{(back - xd).abs().max():.1e}")
assert torch.allclose(back, xd, atol=1e-5), "that choice recovers the identity"

# %% ...and training finds that choice when the identity is what the loss wants
torch.manual_seed(0)
true_mean, true_std = torch.tensor([2.0, -1.0, 0.5]), torch.tensor([3.0, 0.5, 1.0])
layer = nn.BatchNorm1d(3)
opt = torch.optim.SGD(layer.parameters(), lr=0.02)
for step in range(300):
    batch = torch.randn(128, 3) * true_std + true_mean
    loss = (layer(batch) - batch).pow(2).mean(0).sum()  # ask for the identity
    opt.zero_grad(); loss.backward(); opt.step()
print("learned gamma:", layer.weight.detach().numpy().round(2),
      " population std:", true_std.numpy())
print("learned beta: ", layer.bias.detach().numpy().round(2),
      " population mean:", true_mean.numpy())
assert torch.allclose(layer.weight, true_std, rtol=0.05), "gamma -> std"
assert torch.allclose(layer.bias, true_mean, atol=0.1), "beta -> mean"
