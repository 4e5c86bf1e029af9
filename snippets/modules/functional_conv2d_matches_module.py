# %% nn.Conv2d owns its weight; F.conv2d needs it passed in. Same computation.
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
conv = nn.Conv2d(3, 4, kernel_size=3, stride=2, padding=1)
x = torch.randn(2, 3, 9, 9)

out_module = conv(x)
out_functional = F.conv2d(x, conv.weight, conv.bias, stride=2, padding=1)
print("module output shape:", tuple(out_module.shape))
assert torch.equal(out_module, out_functional), "Conv2d and F.conv2d agree bit for bit"
print("nn.Conv2d(x) == F.conv2d(x, conv.weight, conv.bias, ...): exact")
assert torch.equal(nn.ReLU()(x), F.relu(x)), "parameter-free modules match too"
# "F" is only the customary alias: import torch.nn.functional as F
assert not hasattr(nn, "F"), "there is no nn.F"

# torch.func.functional_call runs the *module* with other tensors
# in place of its parameters
w2, b2 = torch.randn_like(conv.weight), torch.randn_like(conv.bias)
saved = conv.weight.detach().clone()
swapped = torch.func.functional_call(conv, {"weight": w2, "bias": b2}, (x,))
assert torch.allclose(swapped, F.conv2d(x, w2, b2, stride=2, padding=1)), \
    "functional_call computes with the substitute parameters"
assert torch.equal(conv.weight, saved), "the module's weight is untouched"
print("functional_call(conv, new params) == F.conv2d(x, new params, ...)")

# %% The functional form is handy when you manage the parameters yourself
class TiedAutoencoder(nn.Module):
    """Decoder reuses the encoder's weight, transposed: a job for F.linear."""

    def __init__(self, d_in: int = 8, d_code: int = 3):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(d_code, d_in) * 0.1)  # registered
        self.bias_dec = nn.Parameter(torch.zeros(d_in))

    def forward(self, x):
        code = torch.tanh(F.linear(x, self.weight))
        return F.linear(code, self.weight.t(), self.bias_dec)


ae = TiedAutoencoder()
names = [n for n, _ in ae.named_parameters()]
print("registered parameters:", names)
assert names == ["weight", "bias_dec"], "one shared weight matrix, one decoder bias"
x = torch.randn(5, 8)
ae(x).pow(2).sum().backward()

# the same network with two separate copies of the weight, for comparison
w_enc = ae.weight.detach().clone().requires_grad_()
w_dec = ae.weight.detach().clone().requires_grad_()
code = torch.tanh(F.linear(x, w_enc))
F.linear(code, w_dec.t(), ae.bias_dec.detach()).pow(2).sum().backward()
assert torch.allclose(ae.weight.grad, w_enc.grad + w_dec.grad, atol=1e-6), \
    "the tied weight's gradient is the sum of its encoder and decoder gradients"
assert not torch.allclose(ae.weight.grad, w_enc.grad, atol=1e-6), \
    "the decoder use contributes to the tied weight's gradient"
print("tied grad == encoder grad + decoder grad of an untied copy")
