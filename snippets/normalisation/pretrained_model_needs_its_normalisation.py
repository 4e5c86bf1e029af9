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
assert acc["same mean/std as training"] > 0.9, "matching preprocessing keeps accuracy"
assert all(a < acc["same mean/std as training"] - 0.15
           for k, a in acc.items() if k.startswith(("forgot", "0-255", "BGR"))), \
    "every mismatched preprocessing costs at least 15 points here"
# in this toy task the label is 'red > blue', so swapping R and B turns it around
assert acc["BGR channel order"] < majority, "BGR is below the majority baseline here"


# %% Put the normalisation inside the model, so it travels with the weights
class Normalise(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)

    def forward(self, x):
        return (x - self.mean) / self.std


deployed = nn.Sequential(Normalise(MEAN, STD), model).eval()
with torch.no_grad():
    same = torch.equal(deployed(x), model((x - MEAN) / STD))
saved = [k for k in deployed.state_dict() if k.startswith("0.")]
print("raw [0, 1] pixels in, same logits as before:", same,
      "| saved with the weights:", saved)
assert same, "the wrapped model on raw pixels equals the model on normalised input"
assert {"0.mean", "0.std"} <= set(deployed.state_dict()), \
    "the statistics are buffers, so they are saved in the state_dict"
