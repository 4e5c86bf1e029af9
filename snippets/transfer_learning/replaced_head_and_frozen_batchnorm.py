# %% A stand-in for a pretrained network with a .fc head (like torchvision's ResNets)
import torch
from torch import nn

torch.manual_seed(0)


class TinyNet(nn.Module):
    def __init__(self, n_classes=1000):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(8, n_classes)

    def forward(self, x):
        return self.fc(self.body(x))


model = TinyNet()
model.requires_grad_(False)  # freeze everything
# a fresh layer: requires_grad=True already
model.fc = nn.Linear(model.fc.in_features, 10)
trainable = [n for n, p in model.named_parameters() if p.requires_grad]
print("trainable after replacing the head:", trainable)
assert trainable == ["fc.weight", "fc.bias"], (
    "a new head is trainable without an 'unfreeze fc' step"
)
features = model.body(torch.randn(2, 3, 8, 8))
# nothing to record in the frozen body: backward stops at fc
assert not features.requires_grad, "the frozen body records no graph"

# an optimiser created *before* the swap holds the old head and never sees the new one
early = TinyNet()
early_opt = torch.optim.SGD(early.parameters(), lr=0.1)
old_fc, early.fc = early.fc, nn.Linear(8, 10)
held = early_opt.param_groups[0]["params"]
in_opt = [any(p is q for q in held) for p in early.fc.parameters()]
print("new head in the early optimiser:", in_opt)
assert all(any(p is q for q in held) for p in old_fc.parameters()), (
    "the early optimiser still holds the discarded head"
)
assert not any(in_opt), "an optimiser built before the swap misses the new head"

# %% requires_grad_(False) does not freeze batch norm's running statistics
bn = model.body[1]
saved = bn.running_mean.clone()
model.train()
model(torch.randn(16, 3, 8, 8) * 2 + 1)
print("frozen BN, train mode: running_mean moved by",
      round((bn.running_mean - saved).abs().max().item(), 3))
assert not torch.equal(saved, bn.running_mean), (
    "frozen parameters, but train mode still moves the running mean"
)
model.body.eval()  # after every model.train(): keep the frozen body in eval mode
saved = bn.running_mean.clone()
model(torch.randn(16, 3, 8, 8) * 2 + 1)
assert torch.equal(saved, bn.running_mean), "in eval mode the statistics stay put"
