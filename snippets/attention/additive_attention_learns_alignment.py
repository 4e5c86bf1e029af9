# %% Additive (Bahdanau) attention on a toy task: output the source sequence reversed
import matplotlib.pyplot as plt
import torch
import torch.nn as nn

torch.manual_seed(0)
vocab, n, d, d_att = 10, 8, 32, 16


class AdditiveAttentionReverser(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.src_pos = nn.Parameter(torch.randn(n, d))
        # one free vector per output step stands in for the decoder states, so the
        # model only has to learn which source position each step should read
        self.queries = nn.Parameter(torch.randn(n, d))
        self.W_q, self.W_k = nn.Linear(d, d_att, bias=False), nn.Linear(d, d_att)
        self.v = nn.Linear(d_att, 1, bias=False)
        self.out = nn.Linear(d, vocab)

    def forward(self, src):  # src: (B, n) token ids
        keys = self.embed(src) + self.src_pos  # encoder states (B, n, d)
        # e_ij = v^T tanh(W_q q_i + W_k k_j): a one-hidden-layer MLP scores each pair
        h = torch.tanh(self.W_q(self.queries)[None, :, None] + self.W_k(keys)[:, None])
        e = self.v(h).squeeze(-1)
        alpha = e.softmax(dim=-1)  # (B, n_target, n_source)
        return self.out(alpha @ self.embed(src)), alpha


model = AdditiveAttentionReverser()
test = torch.randint(vocab, (256, n))


def accuracy_on(src):  # fraction of output tokens equal to the reversed source
    with torch.inference_mode():
        logits, alpha = model(src)
    return (logits.argmax(-1) == src.flip(1)).float().mean().item(), alpha


before, _ = accuracy_on(test)  # the untrained model: a baseline near chance
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for step in range(120):
    src = torch.randint(vocab, (32, n))
    logits, _ = model(src)
    loss = nn.functional.cross_entropy(logits.reshape(-1, vocab),
                                       src.flip(1).reshape(-1))
    opt.zero_grad(), loss.backward(), opt.step()

accuracy, alpha = accuracy_on(test)
print(f"test accuracy: {before:.2f} before training (chance {1 / vocab:.2f}), "
      f"{accuracy:.2f} after; final train loss {loss.item():.3f}")
assert accuracy == 1.0, "in this run every test token comes out in reversed order"
mirrored = torch.arange(n).flip(0).expand(len(test), n)
assert torch.equal(alpha.argmax(-1), mirrored), (
    "in every test sequence, step i attends most to source position n-1-i"
)
print(f"mean weight on the mirrored position: "
      f"{alpha.gather(-1, mirrored[..., None]).mean():.2f}")

# %% The learned alignment
fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "Heatmap of additive attention weights: each output step puts almost all its "
    "weight on the mirrored source position, forming an anti-diagonal"
))
im = ax.imshow(alpha[0], vmin=0, vmax=1)
ax.set(xlabel="source position j", ylabel="output step i",
       title="attention weights α_ij")
fig.colorbar(im, ax=ax)
fig.tight_layout()
