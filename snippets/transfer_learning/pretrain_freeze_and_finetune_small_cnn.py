# %% Task A: 'pretrain' a small CNN to name the orientation of one stroke (4 classes)
import tempfile

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
EYE = torch.eye(5)
STROKES = torch.stack([EYE[[2] * 5],     # each row is row 2 of I: a vertical line
                       EYE[:, [2] * 5],  # each column is column 2: a horizontal line
                       EYE, EYE.flip(1)])  # the diagonal and the anti-diagonal


def draw(kinds):  # (n, k) stroke kinds -> (n, 1, 16, 16) noisy images, k strokes each
    n, k = kinds.shape
    centres = torch.zeros(n, 4, 16, 16)  # one channel per stroke kind
    for j in range(k):  # put a 1 where each stroke is centred
        rows, cols = torch.randint(2, 14, (n,)), torch.randint(2, 14, (n,))
        centres[torch.arange(n), kinds[:, j], rows, cols] = 1
    # convolving with the four 5x5 strokes stamps a stroke around each 1
    img = F.conv2d(centres, STROKES.unsqueeze(0), padding=2).clamp(max=1)
    return img + 0.4 * torch.randn_like(img)


def cnn(n_classes):  # block 1, block 2 (ends in a 16-d feature vector), head
    return nn.Sequential(
        nn.Sequential(nn.Conv2d(1, 8, 5, padding=2), nn.BatchNorm2d(8), nn.ReLU()),
        nn.Sequential(nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                      nn.AdaptiveMaxPool2d(1), nn.Flatten()),
        nn.Linear(16, n_classes),
    )


def set_train_mode(model):  # train mode, except for frozen batch norm layers
    model.train()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d) and not m.weight.requires_grad:
            m.eval()  # keeps its running statistics


@torch.no_grad()
def accuracy(model, x, y):
    return (model.eval()(x).argmax(1) == y).float().mean().item()


def fit(model, param_groups, x, y, steps, test=None):  # test accuracy every 5 steps
    opt, curve = torch.optim.Adam(param_groups, lr=0.01), []  # groups may override lr
    for step in range(1, steps + 1):
        set_train_mode(model)
        idx = torch.randint(0, len(x), (64,)) if len(x) > 64 else slice(None)
        opt.zero_grad()
        F.cross_entropy(model(x[idx]), y[idx]).backward()
        opt.step()
        if test is not None and step % 5 == 0:
            curve.append(accuracy(model, *test))
    return curve


ya = torch.randint(0, 4, (3000,))
pretrained = cnn(4)
fit(pretrained, pretrained.parameters(), draw(ya[:, None]), ya, steps=60)
ya_test = torch.arange(4).repeat(75)
acc_a = accuracy(pretrained, draw(ya_test[:, None]), ya_test)
print(f"task A test accuracy: {acc_a:.1%}")

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
    assert torch.equal(model[0][0].weight, state["0.0.weight"]), "block 1 is frozen"
    assert torch.equal(model[0][1].running_mean, state["0.1.running_mean"]), (
        "block 1's batch norm statistics did not move"
    )
    block2_same = [torch.equal(model[1][0].weight, state["1.0.weight"]),
                   torch.equal(model[1][1].running_mean, state["1.1.running_mean"])]
    assert block2_same == [not unfreeze_block2] * 2, (
        "block 2 (weights and statistics) changes only when it is unfrozen"
    )
for name, c in curves.items():
    print(f"{name:26s} task B test accuracy after 60 steps: {c[-1]:.1%}")
assert min(curves["frozen backbone, new head"][-1],
           curves["+ block 2 at lr/10"][-1]) > curves["from scratch"][-1] + 0.1, (
    "starting from the pretrained weights beats training from scratch"
)

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
