# %% Receptive field of a stack of 3-tap convolutions, measured with gradients
import itertools

import matplotlib.pyplot as plt
import torch
import torch.nn as nn


def footprint(dilations, length=161):
    """Which inputs can change the centre output? Read it off the gradient."""
    x = torch.zeros(1, 1, length, requires_grad=True)
    h = x
    for d in dilations:
        conv = nn.Conv1d(1, 1, 3, dilation=d, padding=d, bias=False)
        nn.init.ones_(conv.weight)  # positive weights: no accidental cancellation
        h = conv(h)
    h[0, 0, length // 2].backward()
    return (x.grad[0, 0] != 0)


depths = range(1, 7)
schemes = {
    "dilation 1 (standard)": lambda L: [1] * L,
    "dilation 2 every layer": lambda L: [2] * L,
    "dilation doubling 1, 2, 4, ...": lambda L: [2**i for i in range(L)],
}
rf = {name: [] for name in schemes}
for name, dil in schemes.items():
    for L in depths:
        used = footprint(dil(L)).nonzero().squeeze(1)
        # span of inputs that matter
        rf[name].append((used.max() - used.min() + 1).item())
assert rf["dilation 1 (standard)"] == [1 + 2 * L for L in depths], "linear growth"
assert rf["dilation 2 every layer"] == [1 + 4 * L for L in depths], (
    "linear, twice as fast"
)
assert rf["dilation doubling 1, 2, 4, ..."] == [2 ** (L + 1) - 1 for L in depths], (
    "exponential growth"
)
for name, values in rf.items():
    print(f"{name:32} receptive field for 1..6 layers: {values}")

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Receptive field against number of 3-tap layers: it grows linearly without "
    "dilation (3, 5, 7, ...), linearly but twice as fast with dilation 2 in every "
    "layer, and exponentially (3, 7, 15, ...) when the dilation doubles each layer, "
    "for the same parameters"
))
for name, values in rf.items():
    ax.plot(depths, values, "o-", label=name)
ax.set(xlabel="number of layers", ylabel="receptive field (inputs)", yscale="log")
ax.legend()
fig.tight_layout()

# %% Rates with a common factor leave holes ('gridding'); so can rates without one
centre = 80  # footprint() backpropagates from input position length // 2 = 80
holes = {}
for rates in ([2, 2, 2], [2, 4, 8], [1, 4, 8], [1, 2, 4], [1, 2, 5]):
    span = sum(rates)  # the stack reaches this far on each side
    window = footprint(rates)[centre - span : centre + span + 1]
    # second implementation: every sum of one tap offset (-r, 0 or +r) per layer
    sums = {sum(t) for t in itertools.product(*[(-r, 0, r) for r in rates])}
    expected = torch.tensor([o in sums for o in range(-span, span + 1)])
    assert torch.equal(window, expected), f"{rates}: footprint = reachable offsets"
    holes[str(rates)] = h = [o - span for o in (~window).nonzero().flatten().tolist()]
    print(f"dilations {rates}: span {2 * span + 1}, {len(h)} holes"
          + (f" at offsets +-{[o for o in h if o > 0]}" if h else ""))
assert holes["[2, 4, 8]"] and holes["[1, 4, 8]"], "increasing rates can leave holes"
assert not holes["[1, 2, 4]"] and not holes["[1, 2, 5]"], "these rates leave none"
