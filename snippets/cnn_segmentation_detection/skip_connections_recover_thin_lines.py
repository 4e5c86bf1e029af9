# %% Segment one-pixel lines through a 4x bottleneck, with and without the skips
import torch
import torch.nn as nn
import torch.nn.functional as F
import matplotlib.pyplot as plt

torch.manual_seed(0)
S = 16  # image side
yy, xx = torch.meshgrid(torch.arange(S), torch.arange(S), indexing="ij")


def batch(n, g):  # noisy images of 3 random 1-pixel lines, and their masks
    kind = torch.randint(3, (n, 3, 1, 1), generator=g)
    pos = torch.randint(S, (n, 3, 1, 1), generator=g)
    on = torch.where(kind == 0, yy == pos, torch.where(kind == 1, xx == pos,
                                                       xx - yy == pos - S // 2))
    mask = on.any(1, keepdim=True).float()
    return mask + 0.3 * torch.randn(mask.shape, generator=g), mask


conv = lambda c_in, c_out: nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1),
                                         nn.ReLU())


class EncoderDecoder(nn.Module):  # the same weights whether or not the skips are used
    def __init__(self, skips, w=6):
        super().__init__()
        self.skips = skips
        self.enc1, self.enc2, self.mid = conv(1, w), conv(w, 2 * w), conv(2 * w, 2 * w)
        self.up2 = nn.ConvTranspose2d(2 * w, 2 * w, 2, stride=2)
        self.up1 = nn.ConvTranspose2d(2 * w, w, 2, stride=2)
        self.dec2, self.dec1 = conv(4 * w, 2 * w), conv(2 * w, w)
        self.head = nn.Conv2d(w, 1, 1)

    def join(self, up, skip):  # concatenate the skip, or zeros of the same shape
        return torch.cat([up, skip if self.skips else torch.zeros_like(skip)], 1)

    def forward(self, x):
        s1 = self.enc1(x)
        s2 = self.enc2(F.max_pool2d(s1, 2))
        m = self.mid(F.max_pool2d(s2, 2))  # 4 x 4: a quarter of the resolution
        d2 = self.dec2(self.join(self.up2(m), s2))
        return self.head(self.dec1(self.join(self.up1(d2), s1)))


nets = {"no skips": EncoderDecoder(False), "U-Net skips": EncoderDecoder(True)}
fraction = batch(256, torch.Generator().manual_seed(3))[1].mean()
nets["no skips"].head.bias.data.fill_(fraction.logit())  # start at the line fraction
nets["U-Net skips"].load_state_dict(nets["no skips"].state_dict())  # same start
g = torch.Generator().manual_seed(1)
params = [p for net in nets.values() for p in net.parameters()]
opt = torch.optim.Adam(params, lr=3e-2)  # Adam is per weight: two independent runs
steps, B = 30, 8
for step in range(steps):
    x, y = batch(B, g)
    loss = sum(F.binary_cross_entropy_with_logits(net(x), y) for net in nets.values())
    opt.zero_grad(); loss.backward(); opt.step()
print(f"{steps} Adam steps on batches of {B} noisy {S} x {S} images, bottleneck "
      f"{S // 4} x {S // 4}")


def iou(pred, target):  # pixel IoU of two binary masks
    return ((pred & target).sum() / (pred | target).sum()).item()


x_test, y_test = batch(128, torch.Generator().manual_seed(2))
target, bce = y_test.bool(), F.binary_cross_entropy_with_logits
with torch.no_grad():
    logits = {name: net(x_test) for name, net in nets.items()}
prior = y_test.mean().logit().expand_as(y_test)  # predict the line fraction
print(f"{int(target.sum())} line pixels in the test set; 'marked': pixels called line")
print(f"{'test':31} {'IoU':>6} {'BCE':>7} {'marked':>7}")
for name, z in [*logits.items(), ("constant: line-pixel fraction", prior)]:
    print(f"{name:31} {iou(z > 0, target):6.3f} {bce(z, y_test):7.4f} "
          f"{int((z > 0).sum()):7}")
# two computed baselines that need no training
coarse = F.interpolate(F.max_pool2d(y_test, 4), scale_factor=4).bool()
print(f"{'paint every 4x4 block on a line':31} {iou(coarse, target):6.3f}")
print(f"{'threshold the input at 0.5':31} {iou(x_test > 0.5, target):6.3f}")
skip, no_skip = logits["U-Net skips"], logits["no skips"]
assert iou(skip > 0, target) > 0.8, "with skips, the thin lines are recovered"
assert iou(skip > 0, target) > iou(x_test > 0.5, target) + 0.05, (
    "the skip network does much more than threshold its input"
)
assert bce(skip, y_test) < 0.4 * bce(no_skip, y_test), "far worse without skips"
assert iou(no_skip > 0, target) < 0.5 * iou(skip > 0, target), (
    "without skips, most line pixels are missed"
)

fig, axes = plt.subplots(1, 4, figsize=(9, 2.6), label=(
    "Four panels for one 16 x 16 test image: the noisy input, the true mask of "
    "three one-pixel lines, the line probability predicted without skips (an "
    "almost uniform low grey that shows no line) and the probability predicted "
    "with U-Net skips (bright one-pixel lines that match the mask, with a few "
    "faint stray pixels)"))
shown = [x_test[0, 0], target[0, 0], no_skip[0, 0].sigmoid(), skip[0, 0].sigmoid()]
titles = ["input", "true mask", "no skips: P(line)", "skips: P(line)"]
for ax, img, title in zip(axes, shown, titles):
    scale = {} if title == "input" else {"vmin": 0, "vmax": 1}
    ax.imshow(img.float(), cmap="gray", **scale)
    ax.set(title=title, xticks=[], yticks=[])
fig.tight_layout()
