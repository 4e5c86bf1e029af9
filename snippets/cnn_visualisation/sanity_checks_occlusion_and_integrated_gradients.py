# %% The same tiny CNN as in the saliency demo, trained the same way
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


def grad_of_score(net, images, cls):  # d score_c / d input, as in the saliency demo
    images = images.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(net(images).gather(1, cls[:, None]).sum(), images)
    return g


def spearman(a, b):  # rank correlation of two maps, averaged over images
    ra, rb = (m.flatten(1).argsort(1).argsort(1).float() for m in (a, b))
    ra, rb = ra - ra.mean(1, keepdim=True), rb - rb.mean(1, keepdim=True)
    return ((ra * rb).sum(1) / (ra.norm(dim=1) * rb.norm(dim=1))).mean().item()


# %% Sanity check: re-initialise the layers from the top down; the maps must change
torch.manual_seed(1)
g = grad_of_score(model, xt, yt)
rand = tiny_cnn(); rand.load_state_dict(model.state_dict())
fresh = tiny_cnn()  # source of freshly initialised weights
rho = {}
for i, name in ((7, "linear"), (3, "conv2"), (0, "conv1")):  # cascading
    rand[i].load_state_dict(fresh[i].state_dict())
    g_r = grad_of_score(rand, xt, yt)
    rho[name] = (spearman(g.abs(), g_r.abs()),
                 spearman((g * xt).abs(), (g_r * xt).abs()))
    print(f"randomised down to {name:6}: rank correlation with the trained map: "
          f"gradient {rho[name][0]:.2f}, gradient x input {rho[name][1]:.2f}")
assert rho["conv1"][0] < 0.3, "the gradient map depends on the weights"
assert rho["conv1"][1] > rho["conv1"][0] + 0.1, "x input keeps the image's structure"

# %% Occlusion (Zeiler & Fergus): grey out a 4x4 patch, watch the class score fall
st = range(0, S - 3, 2)  # patch corners, stride 2: 7 x 7 positions
r, c = torch.arange(S).view(S, 1), torch.arange(S)
holes = [(r >= i) & (r < i + 4) & (c >= j) & (c < j + 4) for i in st for j in st]
covers = torch.stack([(mt & h).flatten(1).any(1) for h in holes], 1)  # patch hits it
chance = covers.float().mean()  # share of patch positions that touch the object


def occlusion_hits(net):  # share of images whose most damaging patch hits the object
    score = lambda z: net(z).gather(1, yt[:, None])[:, 0]
    with torch.no_grad():  # 0.0 is the background's mean
        drop = torch.stack([score(xt) - score(xt.masked_fill(h, 0)) for h in holes], 1)
    return covers.gather(1, drop.argmax(1, keepdim=True)).float().mean().item()


barely = tiny_cnn(); opt = torch.optim.Adam(barely.parameters(), lr=0.03)
for step in range(3):  # the same recipe, stopped after 3 steps
    loss = F.cross_entropy(barely(x), y); opt.zero_grad(); loss.backward(); opt.step()
acc3 = (barely(xt).argmax(1) == yt).float().mean()
hits, hits3 = occlusion_hits(model), occlusion_hits(barely)
print(f"most damaging patch covers the object: trained {hits:.2f}, after 3 steps "
      f"{hits3:.2f} (held-out accuracy {acc3:.2f}); chance level {chance:.2f}")
assert hits > 0.9 > chance + 0.5, "occlusion finds the object"
assert hits3 > chance + 0.3 and acc3 < 0.7, (
    "a network still at chance accuracy also passes: the check does not need shape")

# %% Integrated gradients: completeness, and what a saturated gradient misses
f = lambda z: 1 - F.relu(1 - z.sum(-1))  # saturates once x1 + x2 >= 1


def integrated_gradients(fn, x, baseline, steps):  # midpoint Riemann sum
    alphas = (torch.arange(steps) + 0.5) / steps
    path = baseline + alphas.view(-1, *[1] * x.dim()) * (x - baseline)
    path.requires_grad_(True)
    (g,) = torch.autograd.grad(fn(path).sum(), path)
    return (x - baseline) * g.mean(0)


x2 = torch.tensor([1.0, 1.0])
(g2,) = torch.autograd.grad(f(x2.requires_grad_(True)), x2)
ig2 = integrated_gradients(f, x2.detach(), torch.zeros(2), steps=50)
print(f"saturated f: gradient {g2.abs().tolist()}, IG {ig2.tolist()}, f(x) - f(0) = 1")
assert torch.equal(g2, torch.zeros(2)), "the gradient is zero where f saturates"
assert torch.allclose(ig2, torch.tensor([0.5, 0.5])), "IG: 0.5 each, sums to 1"

score = lambda z: model(z.view(-1, 1, S, S))[:, yt[0]]  # class score of image 0
x1, zero = xt[0], torch.zeros_like(xt[0])  # baseline: a black image
gap = (score(x1) - score(zero)).item()
errors = []
for steps in (4, 16, 64):
    ig = integrated_gradients(score, x1, zero, steps)
    errors.append(abs(ig.sum().item() - gap) / abs(gap))
    print(f"{steps:3} steps: sum of IG {ig.sum():.3f} vs f(x) - f(baseline) {gap:.3f}")
gxi = (grad_of_score(model, xt[:1], yt[:1])[0] * x1).sum().item()
print(f"gradient x input sums to {gxi:.3f}: no completeness")
assert errors[-1] < 0.01 and errors[-1] < errors[0], "Riemann sum converges to f gap"
