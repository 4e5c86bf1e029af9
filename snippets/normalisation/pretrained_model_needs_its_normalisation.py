# %% "Pretrain" a tiny CNN on inputs normalised with fixed per-channel statistics
import torch
from torch import nn

torch.manual_seed(0)
MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


def make_images(n):  # RGB in [0, 1]; label 1 if the image is warmer (red > blue)
    tint = torch.randn(n, 3, 1, 1) * 0.1
    x = (MEAN + tint + torch.randn(n, 3, 8, 8) * 0.15).clamp(0, 1)
    return x, (x[:, 0].mean((1, 2)) > x[:, 2].mean((1, 2)) + 0.08).long()


model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                      nn.Flatten(), nn.Linear(8, 2))
opt = torch.optim.Adam(model.parameters(), lr=0.02)
for step in range(150):
    x, y = make_images(128)
    loss = nn.functional.cross_entropy(model((x - MEAN) / STD), y)
    opt.zero_grad()
    loss.backward()
    opt.step()

# %% Same test images, preprocessed four ways
x, y = make_images(2000)
inputs = {
    "same mean/std as training": (x - MEAN) / STD,
    "forgot to normalise": x,
    "0-255 pixels, then mean/std": (x * 255 - MEAN) / STD,
    "BGR channel order": (x.flip(1) - MEAN) / STD,
}
model.eval()
with torch.no_grad():
    acc = {k: (model(v).argmax(1) == y).float().mean().item()
           for k, v in inputs.items()}
majority = max(y.float().mean(), 1 - y.float().mean())
print(f"{'majority-class baseline':28s} accuracy {majority:.1%}")
for k, a in acc.items():
    print(f"{k:28s} accuracy {a:.1%}")
assert acc["same mean/std as training"] > 0.9
assert all(a < acc["same mean/std as training"] - 0.15
           for k, a in acc.items() if k.startswith(("forgot", "0-255", "BGR")))
