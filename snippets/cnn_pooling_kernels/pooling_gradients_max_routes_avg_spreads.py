# %% Backward pass: max pooling routes each gradient to one input, average spreads it
import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

torch.manual_seed(0)
k = 2
x = torch.randn(1, 1, 8, 8, requires_grad=True)
g = torch.randn(1, 1, 4, 4)  # an upstream gradient dL/dy
up = lambda t: t.repeat_interleave(k, -1).repeat_interleave(k, -2)  # 4x4 -> 8x8

(F.max_pool2d(x, k) * g).sum().backward()
grad_max, x.grad = x.grad.clone(), None
(F.avg_pool2d(x, k) * g).sum().backward()
grad_avg = x.grad.clone()

# closed forms: max -> g at the window's argmax, 0 elsewhere; avg -> g / k^2 everywhere
is_max = x.detach() == up(F.max_pool2d(x.detach(), k))  # no ties in random data
assert torch.equal(grad_max, torch.where(is_max, up(g), 0.0)), "max: only the argmax"
assert torch.allclose(grad_avg, up(g) / k**2), "avg: g / k^2 to every input"
print(f"inputs that receive gradient: max {(grad_max != 0).float().mean():.2f}, "
      f"average {(grad_avg != 0).float().mean():.2f}")

fig, axes = plt.subplots(1, 3, figsize=(9, 3.2), label=(
    "Three 8x8 heatmaps with the 2x2 pooling windows outlined. Left: a random input. "
    "Middle: the gradient through max pooling, non-zero in exactly one pixel per "
    "window, the largest input of that window. Right: the gradient through average "
    "pooling, a quarter of the upstream value in all four pixels of every window, "
    "so it looks paler on the same colour scale"))
lim = up(g).abs().max().item()
panels = [(x.detach(), "input x", None), (grad_max, "dL/dx, max pooling", lim),
          (grad_avg, "dL/dx, average pooling", lim)]
for ax, (img, title, v) in zip(axes, panels):
    ax.imshow(img[0, 0], cmap="RdBu_r", vmin=-v if v else None, vmax=v)
    for t in range(k, 8, k):
        ax.axhline(t - 0.5, c="k", lw=0.8)
        ax.axvline(t - 0.5, c="k", lw=0.8)
    ax.set(title=title, xticks=[], yticks=[])
fig.tight_layout()

# %% Overlapping windows add up; tied maxima send everything to one input
x = torch.zeros(1, 1, 9, 9, requires_grad=True)
F.avg_pool2d(x, 3, stride=2).sum().backward()  # upstream gradient of ones
windows = F.fold(torch.ones(1, 9, 16), (9, 9), 3, stride=2)  # how many windows see
assert torch.allclose(x.grad, windows / 9), "each pixel: (windows covering it) / 9"
print(f"3x3 average pooling, stride 2: a pixel's gradient is (windows covering it)/9,"
      f" covering counts {sorted(set(windows.flatten().int().tolist()))}")

x.grad = None
F.max_pool2d(x, 2).sum().backward()  # all-zero input: every window is a 4-way tie
per_window = F.unfold(x.grad, 2, stride=2)  # (1, 4, 16): the 4 inputs of a window
assert ((per_window != 0).sum(1) == 1).all() and per_window.sum() == 16, (
    "a tie still sends the whole gradient to a single input per window"
)
picked = per_window[0].argmax(0).unique().tolist()  # 0 = top-left of the window
print(f"all-zero input: each window sends its gradient to one input "
      f"(window position {picked} in this build)")
assert picked == [0], "in this build, a tie goes to the window's first (top-left) input"
