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
assert train_out.std() > 0.3  # depends on who else is in the batch
assert torch.allclose(eval_out, eval_out[0].expand(40))  # depends on x0 only
assert abs(eval_out[0] - 0.5) < 0.1  # (3.5 - 3) / 1
try:  # in train mode a batch of one has no batch variance at all
    modules["train()"](x0)
except ValueError as err:
    print("train() with a batch of 1:", err)
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
