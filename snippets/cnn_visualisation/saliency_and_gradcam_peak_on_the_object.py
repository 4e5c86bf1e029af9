# %% A tiny CNN learns to tell a bar from a square (16 bright pixels each)
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


# %% Vanilla gradient saliency: |d score_c / d input|, with autograd
def saliency(net, images, cls):
    images = images.clone().requires_grad_(True)
    score = net(images).gather(1, cls[:, None]).sum()  # the logit, before softmax
    (grad,) = torch.autograd.grad(score, images)
    return grad[:, 0]


sal = saliency(model, xt, yt).abs()
# closed form: for a linear model the gradient is the class's weight row, for any x
lin = nn.Linear(S * S, 2)
g_lin = saliency(lambda z: lin(z.flatten(1)), xt, yt)
assert torch.allclose(g_lin.flatten(1), lin.weight[yt]), "linear: gradient = w_c"
# finite differences in float64 at the five most salient pixels of image 0
m64 = tiny_cnn().double()
m64.load_state_dict(model.state_dict())
x0, eps = xt[:1].double(), 1e-6
g64 = saliency(m64, x0, yt[:1]).flatten()
for i in g64.abs().topk(5).indices:
    e = torch.zeros(S * S, dtype=torch.float64)
    e[i] = eps
    with torch.no_grad():
        diff = m64(x0 + e.view(1, 1, S, S)) - m64(x0 - e.view(1, 1, S, S))
    fd = diff[0, yt[0]] / (2 * eps)
    assert torch.isclose(fd, g64[i], rtol=1e-6), "autograd = finite difference"
print("autograd saliency matches central differences at the top-5 pixels")
near = F.max_pool2d(mt[:, None].float(), 5, 1, 2)[:, 0].bool()  # object + 2 pixels
fresh = [tiny_cnn() for _ in range(5)]  # baseline: five freshly initialised CNNs
share = lambda s: ((s * near).sum((1, 2)) / s.sum((1, 2))).mean().item()
on_object = lambda s: near.flatten(1).gather(1, s.flatten(1).argmax(1, keepdim=True))
peak_near = lambda s: on_object(s).float().mean().item()
print(f"near-object region: {near.float().mean():.2f} of the image")
span = lambda v: f"untrained {min(v):.2f} to {max(v):.2f} (mean {sum(v) / len(v):.2f})"
u_share, u_peak = zip(*[(share(u), peak_near(u)) for u in
                        (saliency(net, xt, yt).abs() for net in fresh)])
print(f"saliency mass near the object: trained {share(sal):.2f}, {span(u_share)}")
print(f"saliency peak near the object: trained {peak_near(sal):.2f}, {span(u_peak)}")
assert share(sal) > max(u_share) + 0.05, "training moves saliency mass to the object"
assert peak_near(sal) > sum(u_peak) / 5 + 0.2, "and its peak, on average over inits"


# %% Grad-CAM from a forward hook, and CAM from the linear layer's weights
def grad_cam(net, images, cls):
    store = {}
    hook = net[4].register_forward_hook(lambda mod, args, out: store.update(A=out))
    logits = net(images)
    hook.remove()
    score = logits.gather(1, cls[:, None])[:, 0]
    (dA,) = torch.autograd.grad(score.sum(), store["A"])
    alpha = dA.mean((2, 3))  # one weight per channel: spatial mean of the gradient
    return F.relu((alpha[:, :, None, None] * store["A"]).sum(1)).detach(), store, score


gradcam, store, score = grad_cam(model, xt, yt)
A = store["A"]  # (64, 8, 8, 8): the last conv feature maps
assert torch.equal(A, model[:5](xt)), "the hook saw what the sub-network returns"
cam = torch.einsum("nk,nkij->nij", model[7].weight[yt], A).detach()  # Zhou et al.
HW = A.shape[2] * A.shape[3]
print(f"largest |Grad-CAM - ReLU(CAM)/(H*W)|: "
      f"{(gradcam - F.relu(cam) / HW).abs().max():.1e}")
assert torch.allclose(gradcam, F.relu(cam) / HW, atol=1e-6), "GAP net: Grad-CAM = CAM"
assert torch.allclose(cam.mean((1, 2)) + model[7].bias[yt], score, atol=1e-5), (
    "the class score is the spatial mean of CAM plus the bias")
upsample = lambda m: F.interpolate(m[:, None], size=(S, S), mode="bilinear")[:, 0]
up = upsample(gradcam)  # back to 16 x 16 for display and for the peak
u_gc = [peak_near(upsample(grad_cam(net, xt, yt)[0])) for net in fresh]
print(f"Grad-CAM peak near the object: trained {peak_near(up):.2f}, {span(u_gc)}")
inside = mt.flatten(1).gather(1, up.flatten(1).argmax(1, keepdim=True))[:, 0]
print(f"Grad-CAM peak on the object itself: bars {inside[yt == 0].float().mean():.2f}, "
      f"squares {inside[yt == 1].float().mean():.2f}")
assert peak_near(up) > 0.8 and peak_near(up) > sum(u_gc) / 5 + 0.2, (
    "trained Grad-CAM peaks near the object far more often than untrained Grad-CAM")

fig, axes = plt.subplots(2, 3, figsize=(6, 4), label=(
    "A held-out bar and square with their gradient saliency, speckled and spilling "
    "past the object, and Grad-CAM: bright on the bar, but for the square dark on "
    "the square itself and bright in a broad band around it"))
for row, i in zip(axes, [int((yt == 0).nonzero()[0]), int((yt == 1).nonzero()[0])]):
    for ax, img, title in zip(row, (xt[i, 0], sal[i], up[i]),
                              ("input", "|gradient|", "Grad-CAM")):
        ax.imshow(img, cmap="gray" if title == "input" else "inferno")
        ax.set(title=title, xticks=[], yticks=[])
fig.tight_layout()
