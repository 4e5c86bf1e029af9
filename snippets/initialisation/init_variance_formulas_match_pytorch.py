# %% The variance each nn.init scheme targets, on a 512 x 1024 weight (fan_out x fan_in)
import math
import torch
from torch import nn

torch.manual_seed(0)
fan_out, fan_in = 512, 1024
# nn.Linear stores weight as (out, in)
w = torch.empty(fan_out, fan_in)
expected = {
    "xavier_uniform_": (lambda: nn.init.xavier_uniform_(w), 2 / (fan_in + fan_out)),
    "xavier_normal_": (lambda: nn.init.xavier_normal_(w), 2 / (fan_in + fan_out)),
    "kaiming_normal_ (relu)": (
        lambda: nn.init.kaiming_normal_(w, nonlinearity="relu"), 2 / fan_in
    ),
    "kaiming_uniform_ (relu)": (
        lambda: nn.init.kaiming_uniform_(w, nonlinearity="relu"), 2 / fan_in
    ),
    "kaiming_normal_ (linear)": (  # LeCun
        lambda: nn.init.kaiming_normal_(w, nonlinearity="linear"), 1 / fan_in
    ),
    "nn.Linear default": (
        lambda: w.copy_(nn.Linear(fan_in, fan_out).weight.detach()), 1 / (3 * fan_in)
    ),
}
for name, (init, var) in expected.items():
    init()
    print(f"{name:24s} variance x fan_in = {w.var().item() * fan_in:.3f} "
          f"(formula {var * fan_in:.3f})")
    assert abs(w.var().item() / var - 1) < 0.02, f"{name}: variance as documented"
conv = nn.Conv2d(64, 128, kernel_size=3)               # fan_in = 64 * 3 * 3 = 576
print("nn.Conv2d default        variance x fan_in = "
      f"{conv.weight.var().item() * 576:.3f} (formula 0.333)")
assert abs(conv.weight.var().item() * 3 * 576 - 1) < 0.03, "Conv2d: 1 / (3 fan_in)"

# %% Why 2 / fan_in for ReLU: a layer scales the mean square by fan_in * Var(w) * 1/2
x = torch.randn(4096, fan_in)
nn.init.kaiming_normal_(w, nonlinearity="relu")
post = torch.relu(x @ w.T)
print(f"mean square in: {x.pow(2).mean():.3f}, "
      f"after He-initialised linear + ReLU: {post.pow(2).mean():.3f}")
assert abs(post.pow(2).mean() / x.pow(2).mean() - 1) < 0.05, "He + ReLU keeps E[x^2]"
assert math.isclose(nn.init.calculate_gain("relu"), math.sqrt(2)), "ReLU gain sqrt 2"
assert math.isclose(nn.init.calculate_gain("tanh"), 5 / 3), "tanh gain 5/3"

# %% Pitfall: nn.init takes fan_in from dim 1; an (in, out) weight gets the wrong scale
# e.g. a hand-written layer computing x @ w_t
w_t = torch.empty(fan_in, fan_out)
nn.init.kaiming_normal_(w_t, nonlinearity="relu")
print(f"variance x true fan_in: {w_t.var().item() * fan_in:.3f} instead of 2")
assert abs(w_t.var().item() / (2 / fan_out) - 1) < 0.02, (
    "a transposed weight gets 2 / 512 instead of 2 / 1024")

# %% nn.Embedding draws N(0, 1): reused as the output layer, its logits have std sqrt(d)
d = 256
emb = nn.Embedding(1000, d)
h = nn.functional.layer_norm(torch.randn(64, d), (d,))  # unit-variance hidden state
logits = h @ emb.weight.T  # weight tying: the embedding matrix as the output layer
print(f"nn.Embedding weight std: {emb.weight.std():.3f}; tied logits std: "
      f"{logits.std():.1f} (sqrt(d) = {math.sqrt(d):.0f})")
assert abs(emb.weight.std() - 1) < 0.01, "nn.Embedding default is N(0, 1)"
assert abs(logits.std() / math.sqrt(d) - 1) < 0.05, "tied logits: std sqrt(d)"
