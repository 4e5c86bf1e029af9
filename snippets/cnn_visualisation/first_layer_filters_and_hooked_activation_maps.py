# %% The same tiny CNN as in the saliency demo, trained the same way
import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
S = 16  # image side


def draw(n):
    """Noisy images: class 0 an 8x2 bar, class 1 a 4x4 square, at a random place."""
    label = torch.randint(0, 2, (n,))
    h, w = (torch.where(label == 0, a, b).view(-1, 1, 1) for a, b in ((8, 4), (2, 4)))
    top, left = ((torch.rand(n, 1, 1) * (S - d + 1)).long() for d in (h, w))
    r, c = torch.arange(S).view(S, 1), torch.arange(S)
    mask = (r >= top) & (r < top + h) & (c >= left) & (c < left + w)
    return (mask + 0.2 * torch.randn(n, S, S)).unsqueeze(1), label, mask


def tiny_cnn():  # the last conv map (after the ReLU) is 8 channels x 8 x 8
    return nn.Sequential(nn.Conv2d(1, 8, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2))


x, y, _ = draw(96)
model = tiny_cnn()
opt = torch.optim.Adam(model.parameters(), lr=0.03)
for step in range(40):
    loss = F.cross_entropy(model(x), y); opt.zero_grad(); loss.backward(); opt.step()
xt, yt, mt = draw(64)  # held-out images, with the true object masks
with torch.no_grad():
    acc = (model(xt).argmax(1) == yt).float().mean()
print(f"training loss {loss:.3f}, held-out accuracy {acc:.3f}")


# %% First-layer filters as images, and the patches that excite them most
W = model[0].weight.detach().flatten(1)  # (8 filters, 25 weights): 5x5, one channel
patches = F.unfold(xt, 5)  # every 5x5 patch inside the held-out images (no padding)
patches = (patches / patches.norm(dim=1, keepdim=True)).transpose(1, 2).reshape(-1, 25)
response = patches @ W.T  # the filter's dot product with each unit-norm patch
best = response.argmax(0)  # the real patch each filter likes best


def stripe_share(w):  # energy share of a pattern constant down each column
    w = w.view(-1, 5, 5) - w.view(-1, 5, 5).mean((1, 2), keepdim=True)
    cols = w.mean(1, keepdim=True).expand_as(w)
    return cols.pow(2).sum((1, 2)) / w.pow(2).sum((1, 2))


trained, fresh = stripe_share(W), stripe_share(tiny_cnn()[0].weight.detach())
print("vertical-stripe share per filter, trained: "
      f"{[round(v, 2) for v in trained.tolist()]}")
print(f"share above 0.9: {(trained > 0.9).sum()} of 8 trained filters, "
      f"{(fresh > 0.9).sum()} of 8 fresh ones")
print(f"mean share: trained {trained.mean():.2f}, "
      f"freshly initialised {fresh.mean():.2f}")
assert (trained > 0.9).sum() >= (fresh > 0.9).sum() + 4, (
    "training turns most filters into vertical edge/stripe detectors (the bar's edges)")

# %% Activation maps from forward hooks, checked against the sub-networks
seen = {}
handles = [layer.register_forward_hook(
    lambda mod, args, out, i=i: seen.update({i: out.detach()}))
    for i, layer in enumerate(model[:5])]
with torch.no_grad():
    model(xt)
    for i in seen:
        assert torch.equal(seen[i], model[: i + 1](xt)), f"layer {i}: hook = prefix"
for h in handles:
    h.remove()
print("activation shapes: " + ", ".join(f"{type(model[i]).__name__} "
      f"{tuple(seen[i].shape[1:])}" for i in seen))
# pitfall: an in-place ReLU after the hooked conv overwrites what the hook stored
inplace = tiny_cnn()
inplace.load_state_dict(model.state_dict())
inplace[1] = nn.ReLU(inplace=True)
kept = {}
inplace[0].register_forward_hook(
    lambda mod, args, out: kept.update(ref=out, copy=out.clone()))
with torch.no_grad():
    inplace(xt)
print(f"hooked conv output, smallest value: stored reference {kept['ref'].min():.2f}, "
      f"clone {kept['copy'].min():.2f}")
assert torch.equal(kept["ref"], F.relu(kept["copy"])), "in-place ReLU rewrote it"
assert kept["copy"].min() < 0, "the conv output itself had negative values"


def strip(tiles):  # one image: tiles side by side, each scaled to [0, 1], NaN gaps
    tiles = [(t - t.min()) / (t.max() - t.min() + 1e-12) for t in tiles]
    gap = torch.full((tiles[0].shape[0], 1), float("nan"))
    return torch.cat([torch.cat([t, gap], 1) for t in tiles], 1)[:, :-1]


i = int((yt == 0).nonzero()[0])  # a bar
rows = {"filters": strip(W.view(8, 5, 5)),
        "best patches": strip(patches[best].view(8, 5, 5)),
        "activations": strip(seen[1][i])}
fig, axes = plt.subplots(3, 1, figsize=(7, 3.6), label=(
    "Top: the eight learned 5x5 first-layer filters drawn as images, most of them "
    "vertical stripes. Middle: for each filter, the held-out patch with the largest "
    "normalised response. Bottom: the eight activation maps (after ReLU) that a "
    "forward hook captured for one bar image; most light up along the bar"))
for ax, (name, img) in zip(axes, rows.items()):
    ax.imshow(img, cmap="gray")
    ax.set(title=name, xticks=[], yticks=[])
fig.tight_layout()
