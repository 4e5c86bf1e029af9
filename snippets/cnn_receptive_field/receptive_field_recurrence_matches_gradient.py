# %% The recurrence for size, jump and start, against one output's input gradient
import torch
import torch.nn as nn

torch.manual_seed(0)


def first(v):  # modules store kernel_size etc. as an int or a tuple
    return v[0] if isinstance(v, tuple) else v


def receptive_field(stack):
    """Closed form: size r, jump j (input pixels per output step), start of output 0."""
    r, j, start = 1, 1, 0
    steps = []  # (r, j) after each layer
    for m in stack:
        if not hasattr(m, "kernel_size"):
            continue  # ReLU and the like: pointwise, nothing changes
        k, s, p = first(m.kernel_size), first(m.stride), first(m.padding)
        d = first(getattr(m, "dilation", 1))
        r += (k - 1) * d * j  # this layer's span, in input pixels
        start -= p * j  # padding moves the window left by p steps of the jump
        j *= s
        steps.append((r, j))
    return r, j, start, steps


def measured(stack, n=96, batch=1):
    """Rows of the input that have a nonzero gradient for one central output."""
    x = torch.randn(batch, 1, n, n, requires_grad=True)
    out = stack(x)
    i = out.shape[-1] // 2
    out[:, 0, i, i].sum().backward()
    rows = (x.grad != 0).any(0)[0].any(1).nonzero().flatten()
    return i, rows, (x.grad != 0).any(0)[0]


def conv(k, s=1, d=1, p=None):  # one channel, all weights 1: no cancellation
    layer = nn.Conv2d(1, 1, k, s, d * (k - 1) // 2 if p is None else p, d, bias=False)
    nn.init.ones_(layer.weight)
    return layer


stacks = {
    "3 x conv3 (VGG-style)": [conv(3), conv(3), conv(3)],
    "conv3, conv3 stride 2, conv3": [conv(3), conv(3, s=2), conv(3)],
    "conv3 dilation 1, 2, 4": [conv(3), conv(3, d=2), conv(3, d=4)],
    "conv3, avgpool2, conv3, avgpool2, conv3": [
        conv(3), nn.AvgPool2d(2), conv(3), nn.AvgPool2d(2), conv(3)],
    "ResNet stem: conv7/2, pool3/2, 2 x conv3": [
        conv(7, s=2, p=3), nn.AvgPool2d(3, 2, 1), conv(3), conv(3)],
}
print(f"{'stack':42} {'r':>3} {'jump':>4} {'start':>5}   gradient rows")
for name, layers in stacks.items():
    r, j, start, _ = receptive_field(layers)
    i, rows, support = measured(nn.Sequential(*layers))
    lo, hi = rows.min().item(), rows.max().item()
    print(f"{name:42} {r:3d} {j:4d} {start:5d}   {lo}..{hi} ({hi - lo + 1} rows)")
    assert (lo, hi - lo + 1) == (start + i * j, r), f"{name}: recurrence = gradient"
    box = support[lo : hi + 1, lo : hi + 1]
    assert box.all() and support.sum() == r * r, f"{name}: a full r x r square"
stem = stacks["ResNet stem: conv7/2, pool3/2, 2 x conv3"]
stem_steps = receptive_field(stem)[3]
for n in range(1, len(stem)):  # every shorter prefix of the stem, against its gradient
    r, j, start, _ = receptive_field(stem[:n])
    i, rows, _ = measured(nn.Sequential(*stem[:n]))
    assert (rows.min().item(), len(rows)) == (start + i * j, r), f"stem, {n} layers"
print(f"ResNet stem, (r, jump) after each layer: {stem_steps}")

# %% Max pooling: one input's gradient misses part of the field; many fill it
torch.manual_seed(0)
stem = [conv(7, s=2, p=3), nn.MaxPool2d(3, 2, 1), conv(3), conv(3)]
r, j, start, _ = receptive_field(stem)
_, _, one = measured(nn.Sequential(*stem))
_, rows, union = measured(nn.Sequential(*stem), batch=64)
print(f"with max pooling, r = {r}: one input reaches {int(one.sum())} of {r * r} "
      f"pixels; 64 inputs together reach {int(union.sum())}")
assert one.sum() < r * r, "max pool passes gradient to one input per window"
assert union.sum() == r * r and len(rows) == r, "the union recovers the full field"
