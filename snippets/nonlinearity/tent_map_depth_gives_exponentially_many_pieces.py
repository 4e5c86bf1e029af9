# %% Depth k: a composed tent map has 2^k linear pieces from 2k ReLU units
import matplotlib.pyplot as plt
import torch
from torch import nn

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)

def tent_block():  # t(x) = 2 relu(x) - 4 relu(x - 1/2): 2x on [0, 1/2], 2 - 2x after
    up, down = nn.Linear(1, 2), nn.Linear(2, 1)
    with torch.no_grad():
        up.weight.fill_(1.0)
        up.bias.copy_(torch.tensor([0.0, -0.5]))
        down.weight.copy_(torch.tensor([[2.0, -4.0]]))
        down.bias.zero_()
    return nn.Sequential(up, nn.ReLU(), down)

def pieces(f, k_max=12):
    """linear pieces of f on [0, 1], read off a dyadic grid finer than any kink"""
    x = torch.linspace(0, 1, 2 ** (k_max + 2) + 1)[:, None]  # exact in float64
    with torch.no_grad():
        slope = torch.diff(f(x)[:, 0]) / torch.diff(x[:, 0])
    return 1 + int((torch.diff(slope).abs() > 1e-6).sum())

x = torch.linspace(0, 1, 2 ** 12 + 1)[:, None]
for k in (1, 2, 4, 8, 10):
    deep = nn.Sequential(*[tent_block() for _ in range(k)])
    units, n_pieces = 2 * k, pieces(deep)
    j = torch.arange(2 ** k + 1)[:, None]
    with torch.no_grad():
        at_knots = deep(j / 2 ** k)
    assert torch.equal(at_knots, (j % 2).double()), "sawtooth: 1 at odd j/2^k, else 0"
    assert n_pieces == 2 ** k, "depth k gives exactly 2^k linear pieces"
    # the same function as ONE hidden layer: a kink at every j / 2^k
    knots = torch.arange(2 ** k) / 2 ** k
    outer = torch.full((2 ** k,), 2.0 ** (k + 1)) * (-1) ** torch.arange(2 ** k)
    outer[0] = 2.0 ** k
    with torch.no_grad():
        shallow = torch.relu(x - knots) @ outer[:, None]
        assert torch.allclose(shallow, deep(x), atol=1e-9), "shallow copy matches"
    print(f"depth {k:2d}: {units:2d} ReLU units, {n_pieces:4d} pieces; one hidden "
          f"layer needs >= {2 ** k - 1:4d} units (this copy: {len(knots)})")

# %% One hidden layer of n ReLU units: at most n + 1 pieces in 1-D
most = {}
for n in (2, 4, 8, 16, 32):
    counts = []
    for _ in range(5):  # random nets, kinks at random grid points inside (0, 1)
        net = nn.Sequential(nn.Linear(1, n), nn.ReLU(), nn.Linear(n, 1))
        kink = (torch.randperm(2 ** 14 - 1)[:n] + 1) / 2 ** 14
        with torch.no_grad():
            net[0].bias.copy_(-net[0].weight[:, 0] * kink)
        counts.append(pieces(net))
    most[n] = max(counts)
    print(f"one hidden layer, {n:2d} units: at most {most[n]:2d} pieces in 5 nets")
    assert most[n] <= n + 1, "each unit adds at most one kink: n + 1 pieces"
    assert most[n] == n + 1, "and random nets reach that bound"

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4), label=(
    "Left: the tent map composed 1, 2 and 4 times on [0, 1], a sawtooth with 2, 4 and "
    "16 linear pieces. Right: linear pieces against ReLU units on a log scale; the "
    "deep tent network doubles its pieces with every 2 units, one hidden layer "
    "gains one piece per unit"))
xs = torch.linspace(0, 1, 1025)[:, None]
for k in (1, 2, 4):
    with torch.no_grad():
        ys = nn.Sequential(*[tent_block() for _ in range(k)])(xs)
    ax1.plot(xs, ys, label=f"k={k}")
ks = torch.arange(1, 11)
ax2.semilogy(2 * ks, 2.0 ** ks, "o-", label="deep: depth k, 2k units")
ax2.semilogy(list(most), [v for v in most.values()], "s-", label="one hidden layer")
ax1.set(xlabel="x", ylabel="tent composed k times")
ax2.set(xlabel="ReLU units", ylabel="linear pieces on [0, 1]")
ax2.yaxis.set_major_formatter("{x:g}")  # plain labels: no mathtext to lay out
ax1.legend(fontsize=7)
ax2.legend(fontsize=7)
fig.tight_layout()
