# %% nn.Dropout in training mode and in evaluation mode
import torch
from torch import nn
import torch.nn.functional as F

torch.manual_seed(0)
p = 0.25
drop = nn.Dropout(p)
x = torch.ones(100_000)

y = drop.train()(x)
zeroed = (y == 0).float().mean().item()
print(f"train: zeroed fraction {zeroed:.4f}, "
      f"survivors all = {y[y != 0].unique().item():.4f}, mean {y.mean():.4f}")
assert abs(zeroed - p) < 0.01, "about a fraction p of units is zeroed"
assert torch.equal(y[y != 0], torch.full_like(y[y != 0], 1 / (1 - p))), (
    "survivors are exactly 1/(1-p)"
)
assert abs(y.mean().item() - 1) < 0.01, "the expected activation is preserved"

y = drop.eval()(x)
assert torch.equal(y, x), "eval mode is the identity"
assert list(drop.parameters()) == [] and list(drop.buffers()) == [], (
    "no parameters, no buffers"
)
assert len(drop.state_dict()) == 0, "nothing to save"
print(f"eval: identity; parameters: {len(list(drop.parameters()))}; "
      f"state_dict entries: {len(drop.state_dict())}")

# (batch, channels, height, width)
maps = nn.Dropout2d(p).train()(torch.ones(8, 16, 5, 5))
assert (maps == 0).any() and (maps != 0).any(), "Dropout2d drops some channels"
assert (maps.amax((2, 3)) == maps.amin((2, 3))).all(), (
    "Dropout2d: one draw per channel, shared by all its positions"
)
keep = maps[:, :, 0, 0] != 0  # (example, channel) keep pattern
print("Dropout2d: distinct channel masks among the 8 examples:",
      len({tuple(row.tolist()) for row in keep}))
assert not (keep == keep[0]).all(), "each example draws its own channel mask"

# %% eval() only flips a flag; it does not switch off autograd, and F.dropout ignores it
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.5),
                      nn.Linear(8, 1)).eval()
assert not any(m.training for m in model.modules()), "eval() is applied recursively"
assert model(torch.randn(2, 4)).requires_grad, (
    "gradients are still tracked in eval mode"
)
with torch.inference_mode():
    assert not model(torch.randn(2, 4)).requires_grad, "inference_mode turns it off"


class Functional(nn.Module):  # calls F.dropout in forward, with and without the flag
    def forward(self, h):
        return F.dropout(h, p=0.5), F.dropout(h, p=0.5, training=self.training)


no_flag, with_flag = Functional().eval()(torch.ones(1000))
assert (no_flag == 0).any(), "F.dropout's training=True default ignores eval()"
assert torch.equal(with_flag, torch.ones(1000)), "training=self.training obeys eval()"
print("eval(): recursive flag, autograd still on; "
      "F.dropout needs training=self.training")

# %% Monte Carlo dropout: keep only the dropout layers stochastic at inference
x_test = torch.randn(5, 4)
with torch.inference_mode():
    deterministic = model(x_test)  # plain eval mode: the weight-scaled network
for m in model.modules():
    if isinstance(m, nn.Dropout):
        m.train()
with torch.inference_mode():
    samples = torch.stack([model(x_test) for _ in range(200)])  # 200 thinned networks
mean, std = samples.mean(0), samples.std(0)
print(f"eval:    {deterministic.squeeze().numpy().round(3)}")
print(f"MC mean: {mean.squeeze().numpy().round(3)}")
print(f"MC std:  {std.squeeze().numpy().round(3)}")
assert (std > 0).all(), "each stochastic pass samples a different thinned network"
# the last dropout feeds a linear layer, so the MC mean estimates the eval output
# (4 standard errors)
assert ((mean - deterministic).abs() < 4 * std / 200**0.5).all(), (
    "the MC mean agrees with the eval output within 4 standard errors"
)
