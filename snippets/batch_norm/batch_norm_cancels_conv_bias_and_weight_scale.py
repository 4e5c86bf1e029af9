# %% conv -> BN -> ReLU: the conv's bias has no effect, and gets no gradient
import copy

import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(8, 3, 10, 10)
target = torch.randn(8, 4, 8, 8)
conv = nn.Conv2d(3, 4, kernel_size=3, bias=True)
with torch.no_grad():
    conv.bias.uniform_(-5.0, 5.0)  # a large bias, to make any effect visible
conv_no_bias = nn.Conv2d(3, 4, kernel_size=3, bias=False)
with torch.no_grad():
    conv_no_bias.weight.copy_(conv.weight)
bn = nn.BatchNorm2d(4).train()

out = torch.relu(bn(conv(x)))
out_no_bias = torch.relu(bn(conv_no_bias(x)))
print(f"max |with bias - without bias|: {(out - out_no_bias).abs().max():.1e}")
assert torch.allclose(out, out_no_bias, atol=1e-5), "the bias is cancelled by BN"
(out - target).pow(2).mean().backward()
print(f"largest |grad| of the conv bias {conv.bias.grad.abs().max():.1e}, "
      f"of its weights {conv.weight.grad.abs().max():.1e}")
assert conv.bias.grad.abs().max() < 1e-4 * conv.weight.grad.abs().max(), \
    "the bias gets (numerically) zero gradient"
frozen = copy.deepcopy(bn).eval()  # frozen (running) statistics: a fixed affine map
gap_frozen = (torch.relu(frozen(conv(x))) - torch.relu(frozen(conv_no_bias(x))))
print(f"with BN in eval mode the bias moves the output by up to "
      f"{gap_frozen.abs().max():.2f}")
assert gap_frozen.abs().max() > 0.1, "with frozen statistics the bias is not cancelled"

# a layer norm over features removes only the average of the biases
lin, ln = nn.Linear(5, 6), nn.LayerNorm(6)
h = torch.randn(8, 5)
gap = (ln(lin(h)) - ln(h @ lin.weight.T)).abs().max()
print(f"Linear -> LayerNorm: removing the bias changes the output by up to {gap:.2f}")
assert gap > 0.1, "LayerNorm does not cancel the bias of the layer before it"
centred_bias = lin.bias - lin.bias.mean()  # keep only each feature's deviation
mean_gap = (ln(lin(h)) - ln(h @ lin.weight.T + centred_bias)).abs().max()
print(f"removing only the bias's average changes it by {mean_gap:.1e}")
assert mean_gap < 1e-5, "LayerNorm cancels the average of the biases, nothing more"

# %% Scale invariance: BN(conv(x; a W)) = BN(conv(x; W)), and the gradient is 1/a
a = 10.0
big = copy.deepcopy(conv_no_bias)
with torch.no_grad():
    big.weight.mul_(a)
bn_big = copy.deepcopy(bn)
out_big = torch.relu(bn_big(big(x)))
assert torch.allclose(out_big, out_no_bias, atol=1e-4), "output ignores weight scale"
conv_no_bias.weight.grad = None
bn.zero_grad()
torch.relu(bn(conv_no_bias(x))).sub(target).pow(2).mean().backward()
out_big.sub(target).pow(2).mean().backward()
ratio = big.weight.grad.norm() / conv_no_bias.weight.grad.norm()
print(f"weights x{a:.0f}: same output; gradient norm x{ratio:.3f}")
assert torch.allclose(big.weight.grad, conv_no_bias.weight.grad / a, atol=1e-6), \
    "the gradient scales by 1/a"
def filter_cosines(w, gw):  # one cosine per output channel (filter)
    return ((w * gw).flatten(1).sum(1) / (w.flatten(1).norm(dim=1)
                                          * gw.flatten(1).norm(dim=1))).abs()

cos_bn = filter_cosines(conv_no_bias.weight, conv_no_bias.weight.grad)
plain = copy.deepcopy(conv_no_bias)  # the same conv without BN, as a baseline
plain.weight.grad = None
torch.relu(plain(x)).sub(target).pow(2).mean().backward()
cos_plain = filter_cosines(plain.weight, plain.weight.grad)
print(f"|cosine(filter, its gradient)|: with BN at most {cos_bn.max():.1e}, "
      f"without BN up to {cos_plain.max():.2f}")
assert cos_bn.max() < 1e-3 < cos_plain.max(), "with BN the gradient is orthogonal"

# %% For inference, BN in eval mode folds into the conv before it
with torch.no_grad():
    for _ in range(20):  # collect running statistics in train mode
        bn(conv(torch.randn(8, 3, 10, 10)))
bn.eval()
s = bn.weight / torch.sqrt(bn.running_var + bn.eps)  # one factor per channel
fused = nn.Conv2d(3, 4, kernel_size=3)
with torch.no_grad():
    fused.weight.copy_(conv.weight * s.view(-1, 1, 1, 1))
    fused.bias.copy_((conv.bias - bn.running_mean) * s + bn.bias)
    test = torch.randn(2, 3, 10, 10)
    err = (fused(test) - bn(conv(test))).abs().max()
print(f"fused conv vs conv -> BN (eval): max difference {err:.1e}")
assert err < 1e-4, "one conv with folded weights equals conv -> BN in eval mode"
