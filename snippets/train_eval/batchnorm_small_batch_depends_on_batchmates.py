# %% One fixed input, put into 40 different batches of 4: train mode vs eval mode
import copy

import matplotlib.pyplot as plt
import torch
from torch import nn

torch.manual_seed(0)
bn = nn.BatchNorm1d(1)
with torch.no_grad():  # fit the running statistics on data with mean 3, std 1
    for _ in range(300):
        bn(torch.randn(64, 1) + 3)

# two copies: a train-mode forward would keep updating the running stats
modules = {"train()": copy.deepcopy(bn).train(), "eval()": copy.deepcopy(bn).eval()}
x0 = torch.tensor([[3.5]])  # the sample we follow
outputs = {"train()": [], "eval()": []}
with torch.no_grad():
    for _ in range(40):
        batch = torch.cat([x0, torch.randn(3, 1) + 3])  # three random batchmates
        for mode, module in modules.items():
            outputs[mode].append(module(batch)[0, 0].item())
train_out, eval_out = torch.tensor(outputs["train()"]), torch.tensor(outputs["eval()"])
print(f"train(): output for x0 ranges {train_out.min():.2f} .. {train_out.max():.2f}")
print(f"eval():  output for x0 is always {eval_out[0]:.2f}")
assert train_out.std() > 0.3, "in train mode the output depends on the batchmates"
assert torch.allclose(eval_out, eval_out[0].expand(40)), "in eval mode it does not"
# eval is the fixed map (x0 - running_mean) / sqrt(running_var + eps)
expected = (x0 - bn.running_mean) / torch.sqrt(bn.running_var + bn.eps)
assert torch.allclose(eval_out[0], expected[0, 0]), "eval uses the running statistics"
assert abs(eval_out[0] - 0.5) < 0.1, "which is about (3.5 - 3) / 1"
try:  # one value per channel: there is no batch variance to normalise with
    modules["train()"](x0)
except ValueError as err:
    print("train() with one value per channel:", err)
else:
    raise AssertionError("expected a ValueError")

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "With batches of 4, the train-mode batch norm output for the same input scatters "
    "widely with its batchmates; the eval-mode output is constant"
))
for i, (mode, ys) in enumerate(outputs.items()):
    ax.scatter(range(1, 41), ys, label=f"bn.{mode}", marker="ox"[i])
ax.set_xlabel("batch number (x0 = 3.5 plus 3 random batchmates)")
ax.set_ylabel("batch norm output for x0")
ax.legend()
fig.tight_layout()

# %% A single image is fine for BatchNorm2d: it normalises over that image's pixels
bn2d = nn.BatchNorm2d(3).train()
image = torch.randn(1, 3, 4, 4) * 2 + 1
out = bn2d(image)
mu = image.mean(dim=(0, 2, 3), keepdim=True)
var = image.var(dim=(0, 2, 3), unbiased=False, keepdim=True)
assert torch.allclose(out, (image - mu) / torch.sqrt(var + bn2d.eps), atol=1e-5), \
    "with a batch of one image, the statistics come from its own 16 pixels"
print("BatchNorm2d, train(), batch of 1 image of 4x4: no error; per-image statistics")
