# %% Shifts and flips built in by augmentation, and a flip that changes the label
import torch
import torch.nn.functional as F
import matplotlib.pyplot as plt

torch.manual_seed(0)
S = 8  # 8 x 8 images: one 3 x 3 stroke pattern on a noisy background
corner = torch.tensor([[1.0, 0, 0], [1, 0, 0], [1, 1, 1]])  # an L; mirrored: a J
diagonal = torch.eye(3)  # a diagonal; mirrored: the other diagonal


def draw(n, patterns, max_col, mirror):
    """n images with patterns[label] at a random place, left-right mirrored or not."""
    y = torch.randint(len(patterns), (n,))
    p = torch.stack(patterns)[y]
    if mirror:
        p = torch.where(torch.rand(n, 1, 1) < 0.5, p.flip(-1), p)
    r, c = torch.randint(S - 2, (n, 1)), torch.randint(max_col + 1, (n, 1))
    dr, dc = torch.arange(3).repeat_interleave(3), torch.arange(3).repeat(3)
    x = 0.2 * torch.randn(n, S, S)
    x[torch.arange(n)[:, None], r + dr, c + dc] += p.reshape(n, 9)
    return x, y


def augment(x, shift, flip):  # torch ops only: pad 2 + random 8 x 8 crop, h-flip
    n = len(x)  # shift, flip: one bool per image, whether it may be shifted, flipped
    crops = F.pad(x, (2, 2, 2, 2)).unfold(1, S, 1).unfold(2, S, 1)  # (n, 5, 5, S, S)
    oy, ox = (torch.where(shift, torch.randint(5, (n,)), 2) for _ in "yx")
    x = crops[torch.arange(n), oy, ox]  # a random shift by -2 to 2 pixels each way
    return torch.where((flip & (torch.rand(n) < 0.5))[:, None, None], x.flip(-1), x)


def train(runs, steps=150, hidden=32):
    """One MLP per run, trained side by side: Adam is per weight, so runs stay apart."""
    torch.manual_seed(1)  # every model starts from the same weights
    k = len(runs)
    init = lambda fan_in, *shape: ((torch.rand(*shape) * 2 - 1) / fan_in**0.5).repeat(
        k, 1, 1).requires_grad_()
    W1, b1, W2, b2 = init(S * S, S * S, hidden), init(S * S, 1, hidden), init(
        hidden, hidden, 2), init(hidden, 1, 2)
    opt = torch.optim.Adam([W1, b1, W2, b2], lr=2e-2)
    x_all, y = torch.cat([r[0] for r in runs]), torch.stack([r[1] for r in runs])
    n = len(runs[0][0])
    shift, flip = (torch.tensor([r[i] for r in runs]).repeat_interleave(n)
                   for i in (2, 3))
    for _ in range(steps):  # a fresh random transform of every image at every step
        x = augment(x_all, shift, flip).view(k, -1, S * S)
        logits = torch.relu(x @ W1 + b1) @ W2 + b2
        loss = F.cross_entropy(logits.flatten(0, 1), y.flatten()) * k
        opt.zero_grad(); loss.backward(); opt.step()
    return [lambda x, i=i: torch.relu(x.flatten(1) @ W1[i] + b1[i]) @ W2[i] + b2[i]
            for i in range(k)]  # model i as a function of a batch of images


acc = lambda net, x, y: (net(x).argmax(1) == y).float().mean().item()
# shape task: L (either way round) vs diagonal; training copies sit in columns 0-2
xs, ys = draw(150, [corner, diagonal], max_col=2, mirror=False)
xs_test, ys_test = draw(1000, [corner, diagonal], max_col=S - 3, mirror=True)
# direction task: L vs its mirror J; here a flip turns one class into the other
xd, yd = draw(150, [corner, corner.flip(-1)], max_col=S - 3, mirror=False)
xd_test, yd_test = draw(1000, [corner, corner.flip(-1)], max_col=S - 3, mirror=False)
runs = {"shape, no augmentation": (xs, ys, False, False, xs_test, ys_test),
        "shape, shift": (xs, ys, True, False, xs_test, ys_test),
        "shape, shift + flip": (xs, ys, True, True, xs_test, ys_test),
        "direction, shift": (xd, yd, True, False, xd_test, yd_test),
        "direction, shift + flip": (xd, yd, True, True, xd_test, yd_test)}
nets, test_acc = dict(zip(runs, train(list(runs.values())))), {}
with torch.no_grad():
    for name, (x, y, shift, flip, xt, yt) in runs.items():
        test_acc[name] = acc(nets[name], xt, yt)
        print(f"{name:24s} train acc {acc(nets[name], x, y):.3f}  "
              f"test acc {test_acc[name]:.3f}")
a = test_acc
assert a["shape, shift"] > a["shape, no augmentation"] + 0.1, "shifts: new positions"
assert a["shape, shift + flip"] > a["shape, shift"] + 0.05, "flips: mirrored shapes"
assert a["direction, shift"] > 0.85, "without flips the direction task is learnable"
assert a["direction, shift + flip"] < 0.6, "a label-changing flip: near chance"

fig, axes = plt.subplots(1, 5, figsize=(10, 2.4), width_ratios=[1, 1, 1, 1, 4.5],
                         layout="constrained", label=(
    "Left: a noisy image of an L shape and three randomly shifted and mirrored "
    "copies of it. Right: test accuracy of five models; shifts and flips raise it "
    "on the shape task, and flips drop the direction task to about chance"))
example = 0.2 * torch.randn(1, S, S)
example[0, 2:5, 2:5] += corner  # an L in the middle of the training columns
yes = torch.tensor([True])
for k, ax in enumerate(axes[:4]):
    img = example[0] if k == 0 else augment(example, yes, yes)[0]
    ax.imshow(img, cmap="gray_r", vmin=-0.6, vmax=1.2)
    ax.set(xticks=[], yticks=[], title="an L" if k == 0 else f"copy {k}")
axes[4].barh(list(a), list(a.values()))
axes[4].axvline(0.5, ls=":", color="gray")
axes[4].set(xlim=(0, 1), xlabel="test accuracy")
axes[4].invert_yaxis()

# %% Test-time augmentation: averaging over {identity, h-flip} makes f exactly invariant
def tta(net, x):  # mean of the softmax over the group {identity, left-right flip}
    return (net(x).softmax(1) + net(x.flip(-1)).softmax(1)) / 2


with torch.no_grad():
    net = nets["shape, shift"]  # trained without flips
    x = xs_test
    plain_gap = (net(x).softmax(1) - net(x.flip(-1)).softmax(1)).abs().max().item()
    assert torch.equal(tta(net, x), tta(net, x.flip(-1))), "TTA: f(x) == f(flip x)"
    assert plain_gap > 0.1, "the model alone is not flip-invariant"
    tta_acc = (tta(net, x).argmax(1) == ys_test).float().mean().item()
    assert tta_acc > test_acc["shape, shift"] + 0.05, "in this run: flip-TTA helps"
    print(f"shape model: max |p(x) - p(flip x)| = {plain_gap:.3f} alone, exactly 0 "
          f"with TTA; test acc {test_acc['shape, shift']:.3f} -> {tta_acc:.3f}")
    # direction task with flip-TTA: an L and its mirror get the same prediction
    net = nets["direction, shift"]
    pairs = torch.cat([xd_test, xd_test.flip(-1)])
    pair_y = torch.cat([yd_test, 1 - yd_test])
    plain = (net(pairs).argmax(1) == pair_y).float().mean().item()
    blind = (tta(net, pairs).argmax(1) == pair_y).float().mean().item()
    print(f"direction model on images and their mirrors: acc {plain:.3f} alone, "
          f"{blind:.3f} with flip-TTA")
    assert plain > 0.85 and blind == 0.5, "flip-TTA cannot tell an L from a J"
