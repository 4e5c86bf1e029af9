# %% A two-level U-Net: shapes down the encoder, up the decoder, and the skips
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


def block(c_in, c_out):  # two padded 3x3 convs: the size stays the same
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1), nn.ReLU(),
                         nn.Conv2d(c_out, c_out, 3, padding=1), nn.ReLU())


class TinyUNet(nn.Module):
    def __init__(self, c_in=3, n_classes=4, w=8):
        super().__init__()
        self.enc1, self.enc2 = block(c_in, w), block(w, 2 * w)
        self.mid = block(2 * w, 4 * w)
        self.up2 = nn.ConvTranspose2d(4 * w, 2 * w, 2, stride=2)  # x2, halves channels
        self.dec2 = block(2 * w + 2 * w, 2 * w)  # input: upsampled ++ skip
        self.up1 = nn.ConvTranspose2d(2 * w, w, 2, stride=2)
        self.dec1 = block(w + w, w)
        self.head = nn.Conv2d(w, n_classes, 1)  # a score per class at every pixel

    def forward(self, x, log=None):
        s1 = self.enc1(x)                     # full resolution
        s2 = self.enc2(F.max_pool2d(s1, 2))   # 1/2
        m = self.mid(F.max_pool2d(s2, 2))     # 1/4: the bottleneck
        u2 = torch.cat([self.up2(m), s2], dim=1)  # concatenate along channels
        d2 = self.dec2(u2)
        u1 = torch.cat([self.up1(d2), s1], dim=1)
        out = self.head(self.dec1(u1))
        if log is not None:
            log.update(skip1=s1, skip2=s2, bottleneck=m, concat2=u2, concat1=u1,
                       out=out)
        return out


net, x, log = TinyUNet(), torch.randn(2, 3, 64, 48), {}
out = net(x, log)
for name, t in log.items():
    print(f"{name:10} {tuple(t.shape)}")
assert out.shape == (2, 4) + x.shape[-2:], "one score per class for every input pixel"
assert log["concat1"].shape[1] == log["skip1"].shape[1] + net.up1.out_channels, (
    "concatenation stacks channels: decoder channels + skip channels"
)

# %% Sizes must divide by 2 ** depth, or the concatenation fails
try:
    net(torch.randn(1, 3, 30, 30))  # 30 -> 15 -> 7; up: 7 -> 14, but the skip is 15
    raise AssertionError("expected a size mismatch")
except RuntimeError as error:
    print(f"30 x 30 input -> RuntimeError: {str(error).splitlines()[0][:70]}...")
print(f"64 x 48 input -> output {tuple(out.shape[-2:])}")

# %% The original U-Net: unpadded 3x3 convs, so the output is smaller than the input
# Channel widths 64 ... 1024 and a 572 x 572 input tile, as in Ronneberger et al.
widths, size, n_convs = [64, 128, 256, 512, 1024], 572, 0
x = torch.empty(1, 1, size, size, device="meta")  # shapes only, no arithmetic
conv = lambda x, c: F.conv2d(x, torch.empty(c, x.shape[1], 3, 3, device="meta"))
skips = []
for i, c in enumerate(widths):
    x = conv(conv(x, c), c); n_convs += 2
    if i < len(widths) - 1:
        skips.append(x)
        x = F.max_pool2d(x, 2)
for c, skip in zip(widths[-2::-1], skips[::-1]):
    up_w = torch.empty(x.shape[1], c, 2, 2, device="meta")
    x = F.conv_transpose2d(x, up_w, stride=2); n_convs += 1  # the 2x2 "up-conv"
    crop = (skip.shape[-1] - x.shape[-1]) // 2  # centre-crop the skip to fit
    skip = skip[..., crop:crop + x.shape[-2], crop:crop + x.shape[-1]]
    x = conv(conv(torch.cat([skip, x], dim=1), c), c); n_convs += 2
x = F.conv2d(x, torch.empty(2, 64, 1, 1, device="meta")); n_convs += 1  # 2 classes
print(f"input {size} x {size} -> output {tuple(x.shape[-2:])}, "
      f"{n_convs} conv layers; the last skip was cropped by {crop} pixels a side")
assert x.shape[-2:] == (388, 388) and n_convs == 23, (
    "matches the paper: a 572 x 572 tile gives a 388 x 388 map with 23 conv layers"
)
