# %% 16 tokens; each token's "context" is itself and the tokens within 2 steps on a ring
import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
# 2-D so we can plot the vectors directly
V, D = 16, 2
ids = torch.arange(V)
ring_dist = torch.minimum((ids[:, None] - ids) % V, (ids - ids[:, None]) % V)
# target distribution over context tokens
context = (ring_dist <= 2).float() / 5
emb, out = nn.Embedding(V, D), nn.Linear(D, V)   # skip-gram style: predict the context


def nearest_by_cosine(W):
    sim = F.cosine_similarity(W[:, None], W[None], dim=-1).fill_diagonal_(-2)
    return sim.argmax(1)


# how often the most similar token is a ring neighbour (i +- 1)
def ring_neighbour_rate(W):
    return (ring_dist[ids, nearest_by_cosine(W)] == 1).float().mean().item()


print("before training: nearest neighbour is a ring neighbour for "
      f"{ring_neighbour_rate(emb.weight.detach()):.0%} of tokens")
before = emb.weight.detach().clone()
opt = torch.optim.Adam([*emb.parameters(), *out.parameters()], lr=3e-2)
for step in range(300):
    loss = F.cross_entropy(out(emb(ids)), context)  # soft targets
    opt.zero_grad(); loss.backward(); opt.step()
W = emb.weight.detach()
print("after training:  nearest neighbour is a ring neighbour for "
      f"{ring_neighbour_rate(W):.0%} of tokens")
print("nearest by cosine:", {i: nearest_by_cosine(W)[i].item() for i in (0, 5, 10)})
# tokens sorted by angle around the origin
order = torch.atan2(W[:, 1], W[:, 0]).argsort()
step_sizes = (order.roll(-1) - order) % V
assert ring_neighbour_rate(before) < 0.5 and ring_neighbour_rate(W) == 1.0, (
    "similarity is learned, not given"
)
assert (step_sizes == 1).all() or (step_sizes == V - 1).all(), (
    "the angles put the tokens in ring order"
)

# %% The axes mean nothing alone: rotate the embeddings, counter-rotate the next layer
R, _ = torch.linalg.qr(torch.randn(D, D))        # a random orthogonal matrix
with torch.no_grad():
    logits_rotated = (W @ R) @ (out.weight @ R).T + out.bias
assert torch.allclose(logits_rotated, out(W), atol=1e-5), (
    "a rotated embedding is an equally good solution"
)
print("rotated embeddings + rotated output layer -> identical logits:",
      torch.allclose(logits_rotated, out(W), atol=1e-5))

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "The 16 learned 2-D token embeddings lie around the origin in ring order; before "
    "training they are scattered at random"
))
ax.scatter(*before.T, marker="x", label="before training")
ax.plot(*W[list(range(V)) + [0]].T, "-o", lw=0.8,
        label="after training (linked in token order)")
for i, (a, b) in enumerate(W.tolist()):
    ax.annotate(str(i), (a, b), textcoords="offset points", xytext=(4, 4), fontsize=8)
ax.set(xlabel="embedding dim 1", ylabel="embedding dim 2")
ax.set_aspect("equal", adjustable="datalim")
ax.legend(fontsize=8)
fig.tight_layout()
