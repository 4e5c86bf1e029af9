# %% Causal sliding-window attention: a banded mask, by hand and with SDPA
import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

torch.manual_seed(0)
n, W, d = 64, 6, 16  # query i sees keys i - W .. i (Mistral's convention)
i, j = torch.arange(n)[:, None], torch.arange(n)[None, :]
band = (j <= i) & (i - j <= W)  # True = may attend, as SDPA reads it
q, k, v = (torch.randn(1, 2, n, d, dtype=torch.float64) for _ in range(3))

scores = (q @ k.transpose(-2, -1) / d**0.5).masked_fill(~band, float("-inf"))
by_hand = scores.softmax(-1) @ v
sdpa = F.scaled_dot_product_attention(q, k, v, attn_mask=band)
assert torch.allclose(by_hand, sdpa, rtol=1e-12, atol=1e-12), "band by hand = SDPA"
print(f"max |by hand - SDPA| = {(by_hand - sdpa).abs().max():.1e}")
pairs = int(band.sum())
assert pairs == n * (W + 1) - W * (W + 1) // 2, "pairs: n (W + 1) - W (W + 1) / 2"
print(f"n = {n}, W = {W}: {pairs} allowed pairs, causal has {n * (n + 1) // 2}")

b = 32  # a block-sparse kernel computes only the b x b tiles that hold a True
print("tiles a block-sparse kernel computes (b = 32, W = 128):")
tiles = {}
for length in (512, 1024, 2048):
    r = torch.arange(length)
    mask = (r[None] <= r[:, None]) & (r[:, None] - r[None] <= 128)
    T = length // b
    tiles[length] = int(mask.view(T, b, T, b).any(3).any(1).sum())
    print(f"  n = {length}: window {tiles[length]:5d} tiles, causal {T * (T + 1) // 2}")
    c = 128 // b  # each query tile needs its own key tile and the c before it
    assert tiles[length] == T * (c + 1) - c * (c + 1) // 2, "window: linear in n"

# %% The receptive field grows by W per layer: read it off the gradient
L = 5
Wq, Wk, Wv = (torch.randn(L, d, d, dtype=torch.float64) / d**0.5 for _ in range(3))
x0 = torch.randn(n, d, dtype=torch.float64, requires_grad=True)
h, reach, grads = x0, [], []
for layer in range(L):  # residual stack of single-head sliding-window attention
    h = h + F.scaled_dot_product_attention(h @ Wq[layer], h @ Wk[layer],
                                           h @ Wv[layer], attn_mask=band)
    (g,) = torch.autograd.grad(h[-1].sum(), x0, retain_graph=True)
    grads.append(g.norm(dim=1))
    seen = (grads[-1] > 0).nonzero().flatten()  # inputs the last output depends on
    reach.append(n - 1 - int(seen.min()))
    assert torch.equal(seen, torch.arange(seen.min(), n)), "one contiguous span"
hops = torch.eye(n, dtype=torch.long)  # independent check: paths through the mask
for layer in range(L):
    hops = hops @ band.long()  # band holds the diagonal: a token keeps itself
    assert reach[layer] == n - 1 - int(hops[-1].nonzero().min()), "gradient = paths"
    assert reach[layer] == (layer + 1) * W, "after L layers: L x W tokens back"
print("tokens back the last output can see, layers 1..5:", reach)
print(f"Mistral 7B (W = 4096, 32 layers): {32 * 4096:,} tokens in theory")
far = grads[-1][n - 1 - L * W: n - 1 - (L - 1) * W].mean()
near = grads[-1][n - 1 - W:].mean()
print(f"layer {L}: mean |grad| over the farthest {W} inputs {far:.1e}, "
      f"over the nearest {W + 1}: {near:.1e}, {near / far:.0f} times larger")
assert far < 0.1 * near, "in this run: the far end gets a much smaller gradient"

fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.4), width_ratios=[1, 2], label=(
    "Left: the causal sliding-window mask, a diagonal band 7 keys wide for 64 tokens. "
    "Right: log10 of the gradient of the last output with respect to each input "
    "position, one row per depth from 1 to 5 layers: the coloured span reaches 6 "
    "more positions back with each layer and is blank beyond it"))
a1.imshow(band, cmap="Greys")
a1.set(title=f"mask, W = {W}", xlabel="key j", ylabel="query i")
G = torch.stack(grads).log10()  # -inf where the gradient is exactly zero
im = a2.imshow(G, aspect="auto", interpolation="nearest",
               extent=(-0.5, n - 0.5, L + 0.5, 0.5))
a2.set(title="log10 |d out[-1] / d x_j|", xlabel="input position j", ylabel="layers")
fig.colorbar(im, ax=a2)
fig.tight_layout()
