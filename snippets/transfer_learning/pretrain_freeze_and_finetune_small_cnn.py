# %% Task A: "pretrain" a small CNN to name the orientation of one stroke (4 classes)
import tempfile

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
STROKES = torch.stack([torch.eye(5)[[2] * 5], torch.eye(5)[:, [2] * 5],
                       torch.eye(5), torch.eye(5).flip(1)])
# the four 5x5 strokes: vertical, horizontal, diagonal, anti-diagonal


# (n, k) stroke kinds -> (n, 1, 16, 16) noisy images with k strokes each
def draw(kinds):
    n, k = kinds.shape
    centres = torch.zeros(n, 4, 16, 16)
    for j in range(k):
        rows, cols = torch.randint(2, 14, (n,)), torch.randint(2, 14, (n,))
        centres[torch.arange(n), kinds[:, j], rows, cols] = 1
    img = F.conv2d(centres, STROKES.unsqueeze(0), padding=2).clamp(max=1)
    return img + 0.4 * torch.randn_like(img)


def cnn(n_classes):  # block 1, block 2 (ends in a 16-d feature vector), head
    return nn.Sequential(
        nn.Sequential(nn.Conv2d(1, 8, 5, padding=2), nn.BatchNorm2d(8), nn.ReLU()),
        nn.Sequential(nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                      nn.AdaptiveMaxPool2d(1), nn.Flatten()),
        nn.Linear(16, n_classes),
    )


def fit(model, param_groups, x, y, steps, test=None):
    opt, curve = torch.optim.Adam(param_groups, lr=0.01), []  # groups may override lr
    for step in range(steps):
        model.train()
        # a frozen BatchNorm must not update its running stats either
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d) and not m.weight.requires_grad:
                m.eval()
        idx = torch.randint(0, len(x), (64,)) if len(x) > 64 else slice(None)
        opt.zero_grad()
        F.cross_entropy(model(x[idx]), y[idx]).backward()
        opt.step()
        if test is not None and step % 5 == 4:
            with torch.no_grad():
                correct = model.eval()(test[0]).argmax(1) == test[1]
                curve.append(correct.float().mean().item())
    return curve


ya = torch.randint(0, 4, (3000,))
pretrained = cnn(4)
fit(pretrained, pretrained.parameters(), draw(ya[:, None]), ya, steps=60)
with torch.no_grad():
    ya_test = torch.arange(4).repeat(75)
    acc_a = pretrained.eval()(draw(ya_test[:, None])).argmax(1) == ya_test
print(f"task A test accuracy: {acc_a.float().mean():.1%}")

# save and reload, as with a downloaded checkpoint
with tempfile.TemporaryDirectory() as tmp:
    torch.save(pretrained.state_dict(), f"{tmp}/task_a.pt")
    state = torch.load(f"{tmp}/task_a.pt", weights_only=True)

# %% Task B: which pair of strokes is in the image (3 classes), from 12 labelled images
PAIRS = torch.tensor([[0, 1], [2, 3], [0, 3]])
yb, yb_test = torch.arange(3).repeat(4), torch.arange(3).repeat(100)
xb, test = draw(PAIRS[yb]), (draw(PAIRS[yb_test]), yb_test)
curves = {}
scratch = cnn(3)
curves["from scratch"] = fit(scratch, scratch.parameters(), xb, yb, 60, test)
for name, unfreeze_block2 in [("frozen backbone, new head", False),
                              ("+ block 2 at lr/10", True)]:
    model = cnn(4)
    model.load_state_dict(state)
    model.requires_grad_(False)  # freeze everything...
    model[2] = nn.Linear(16, 3)  # ...then a new head, trainable by default
    groups = [{"params": model[2].parameters()}]  # default lr 0.01
    if unfreeze_block2:
        model[1].requires_grad_(True)
        groups.append({"params": model[1].parameters(), "lr": 0.001})
    curves[name] = fit(model, groups, xb, yb, 60, test)
    # frozen block 1 unchanged, BN stats too
    assert torch.equal(model[0][0].weight, state["0.0.weight"])
    assert torch.equal(model[0][1].running_mean, state["0.1.running_mean"])
    assert unfreeze_block2 != torch.equal(model[1][0].weight, state["1.0.weight"])
for name, c in curves.items():
    print(f"{name:26s} task B test accuracy after 60 steps: {c[-1]:.1%}")
assert min(curves["frozen backbone, new head"][-1],
           curves["+ block 2 at lr/10"][-1]) > curves["from scratch"][-1] + 0.1

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Task B test accuracy against training steps on 12 images: both models that start "
    "from the pretrained weights beat the model trained from scratch"
))
for name, c in curves.items():
    ax.plot(range(5, 61, 5), c, marker="o", label=name)
ax.set_xlabel("training step (full batch of 12 task-B images)")
ax.set_ylabel("task B test accuracy")
ax.legend()
fig.tight_layout()
