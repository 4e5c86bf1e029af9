# %% Learned absolute positions: a lookup table with a hard length limit
import matplotlib.pyplot as plt
import torch
import torch.nn as nn

torch.manual_seed(0)
d, max_len = 32, 128
# one vector per position, trained with the model (random here)
learned = nn.Embedding(max_len, d)
print(f"learned table: {sum(p.numel() for p in learned.parameters()):,} parameters")
try:  # on CPU; on a GPU the same lookup fails as a device-side assert instead
    learned(torch.tensor([max_len]))  # there is no row 128 to look up
except IndexError:
    print(f"position {max_len} -> IndexError: no vector beyond max_len")
else:
    raise AssertionError("expected an IndexError")

# %% Rotary embedding (RoPE): rotate each pair of q/k features by the angle m * theta_i
theta = 10000.0 ** (-torch.arange(0, d, 2) / d)


def rope(x, m):  # x: (d,), m: position
    cos, sin = torch.cos(m * theta), torch.sin(m * theta)
    x1, x2 = x[0::2], x[1::2]
    return torch.stack([x1 * cos - x2 * sin, x1 * sin + x2 * cos], -1).flatten()


def sinusoidal(m):  # the previous demo's encoding, for one position m
    return torch.stack([torch.sin(m * theta), torch.cos(m * theta)], -1).flatten()


q, k = torch.randn(d), torch.randn(d)  # the content of one query and one key
W = torch.randn(d, d) / d**0.5  # a generic W_Q W_K^T between the two vectors
# two block-diagonal ones that keep the frequency pairs apart: D keeps only the sine
# of each pair, R turns each pair by a scaled rotation [[a, b], [-b, a]]
D = torch.block_diag(*[torch.tensor([[1.0, 0.0], [0.0, 0.0]])] * (d // 2))
turn = torch.tensor([[0.0, 1.0], [-1.0, 0.0]])
R = torch.block_diag(*[a * torch.eye(2) + b * turn for a, b in torch.randn(d // 2, 2)])
assert torch.allclose(rope(q, 77).norm(), q.norm()), "a rotation keeps the norm"
scorers = {  # score of a query at position m with a key at position n
    "rotary": lambda m, n: rope(q, m) @ rope(k, n),
    "sinusoidal, added": lambda m, n: (q + sinusoidal(m)) @ (k + sinusoidal(n)),
    "learned, added": lambda m, n: (q + learned.weight[m]) @ (k + learned.weight[n]),
    "PE . PE alone": lambda m, n: sinusoidal(m) @ sinusoidal(n),
    "PE . W . PE alone": lambda m, n: sinusoidal(m) @ W @ sinusoidal(n),
    "PE . D . PE alone": lambda m, n: sinusoidal(m) @ D @ sinusoidal(n),
    "PE . R . PE alone": lambda m, n: sinusoidal(m) @ R @ sinusoidal(n),
}
relative = {"rotary", "PE . PE alone", "PE . R . PE alone"}  # depend on m - n only
offsets = range(32)
# same offsets, shifted positions
score = {(name, start): torch.stack([f(start + o, start) for o in offsets]).detach()
         for name, f in scorers.items() for start in (0, 40)}
for name in scorers:
    same = torch.allclose(score[name, 0], score[name, 40], atol=1e-4)
    print(f"{name:18} score at (m, n) == at (m + 40, n + 40): {same}")
    assert same == (name in relative), (
        "only RoPE, the raw PE.PE and PE.R.PE (scaled-rotation blocks) are relative"
    )

# %% Plot
fig, axes = plt.subplots(1, 3, figsize=(6, 3), label=(
    "Attention score against query-key offset, with the key at position 0 and at 40: "
    "the two rotary curves coincide, the curves for added sinusoidal and added learned "
    "positions differ"
))
for ax, name in zip(axes, list(scorers)[:3]):
    for start, style in ((0, "-"), (40, "--")):
        ax.plot(offsets, score[name, start], style, lw=2, label=f"key at {start}")
    ax.set_title(name, fontsize=9)
    ax.set_xlabel("offset m - n")
axes[0].set_ylabel("score q·k")
axes[0].legend(fontsize=8)
fig.tight_layout()
