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


# %% Loading a checkpoint with another head size: strict=False does not forgive shapes
checkpoint = TinyNet().state_dict()  # 1000-class head
target = TinyNet(n_classes=10)
try:
    target.load_state_dict(checkpoint, strict=False)
except RuntimeError as err:
    message = str(err)
    print("RuntimeError with strict=False:")
    print("\n".join(line.strip() for line in message.splitlines()[1:]))
else:
    raise AssertionError("expected a size-mismatch error")
assert "size mismatch for fc.weight" in message, "strict=False still checks shapes"
body_only = {k: v for k, v in checkpoint.items() if not k.startswith("fc.")}
result = target.load_state_dict(body_only, strict=False)
print("missing:", result.missing_keys, " unexpected:", result.unexpected_keys)
assert result.missing_keys == ["fc.weight", "fc.bias"], "only the new head is missing"
assert result.unexpected_keys == [], "every checkpoint key was used"
assert all(torch.equal(target.state_dict()[k], v) for k, v in body_only.items()), (
    "the body now holds the checkpoint's weights"
)

# %% Parameter groups: one optimiser, a different learning rate per part
model = TinyNet()
model.requires_grad_(False)  # freeze everything...
model.fc = nn.Linear(8, 10)  # ...new head...
# ...and unfreeze the conv as well, but move it gently
model.body[0].requires_grad_(True)
opt = torch.optim.SGD([{"params": model.body[0].parameters(), "lr": 0.001},
                       {"params": model.fc.parameters()}], lr=0.01)
in_opt = {id(p) for group in opt.param_groups for p in group["params"]}
bn = model.body[1]
assert id(bn.weight) not in in_opt and id(bn.bias) not in in_opt, (
    "sanity check: the frozen batch norm was left out of the groups"
)
before = {n: p.detach().clone() for n, p in model.named_parameters()}
for p in model.parameters():  # a unit gradient for every parameter, frozen ones too
    p.grad = torch.ones_like(p)
opt.step()
steps = {n: (before[n] - p).abs().max().item() for n, p in model.named_parameters()}
print({n: round(s, 4) for n, s in steps.items()})
assert torch.equal(model.body[0].weight, before["body.0.weight"] - 0.001), (
    "the conv moves by exactly its group's lr"
)
assert torch.equal(model.fc.weight, before["fc.weight"] - 0.01), (
    "the head moves by exactly the default lr"
)
assert torch.equal(bn.weight, before["body.1.weight"]), "frozen batch norm stays put"
# baseline: an optimiser that holds the frozen parameter moves it despite
# requires_grad=False, because SGD skips only parameters whose .grad is None
torch.optim.SGD(model.parameters(), lr=0.01).step()
print("SGD over model.parameters(): batch norm weight moved by",
      round((before["body.1.weight"] - bn.weight).abs().max().item(), 4))
assert not bn.weight.requires_grad and not torch.equal(
    bn.weight, before["body.1.weight"]
), "requires_grad=False alone does not protect a parameter the optimiser holds"
