# %% "Sparse" (class index) and "categorical" (one-hot) targets: same loss and gradient
import torch
import torch.nn.functional as F
import matplotlib.pyplot as plt

torch.manual_seed(0)
K = 4
logits = torch.randn(6, K, requires_grad=True)
# sparse: one integer per sample
idx = torch.tensor([0, 3, 1, 1, 2, 0])
# categorical: one row of K per sample
one_hot = F.one_hot(idx, K).float()
loss_idx, loss_oh = F.cross_entropy(logits, idx), F.cross_entropy(logits, one_hot)
g_idx, = torch.autograd.grad(loss_idx, logits)
g_oh, = torch.autograd.grad(loss_oh, logits)
print(f"class-index targets: {loss_idx:.5f}   one-hot targets: {loss_oh:.5f}")
assert torch.allclose(loss_idx, loss_oh) and torch.allclose(g_idx, g_oh)
# gradient: (p - y) / batch
assert torch.allclose(g_idx, (logits.softmax(1) - one_hot) / 6)

# %% What only probability targets can express: soft labels and label smoothing
eps = 0.1
# mass eps spread over all K classes
smoothed = (1 - eps) * one_hot + eps / K
ls = F.cross_entropy(logits, idx, label_smoothing=eps)
assert torch.allclose(ls, F.cross_entropy(logits, smoothed))
assert torch.allclose(ls, -(smoothed * logits.log_softmax(1)).sum(1).mean())
print(f"label_smoothing=0.1 with indices: {ls:.5f}   the same targets written as "
      f"probabilities: {F.cross_entropy(logits, smoothed):.5f}")

# %% Sequences: classes go in dim 1, ignore_index (default -100) skips padded positions
# (batch, time, classes)
seq_logits, seq_idx = torch.randn(2, 5, K), torch.randint(0, K, (2, 5))
seq_idx[1, 3:] = -100                                                       # padding
flat = F.cross_entropy(seq_logits.reshape(-1, K), seq_idx.reshape(-1))
# (N, C, T) layout
assert torch.allclose(F.cross_entropy(seq_logits.transpose(1, 2), seq_idx), flat)
keep = seq_idx.reshape(-1) != -100
assert torch.allclose(flat, F.cross_entropy(seq_logits.reshape(-1, K)[keep],
                                            seq_idx.reshape(-1)[keep]))
print(f"sequence loss over {int(keep.sum())} real tokens "
      f"({int((~keep).sum())} padded ones ignored): {flat:.5f}")

# %% The memory cost of one-hot targets for a language-model batch (8 x 1024 tokens)
tokens = 8 * 1024
vocab = [1_000, 10_000, 50_257, 128_256]
idx_bytes, oh_bytes = [], []
# "meta" tensors: shapes and dtypes, no memory
for V in vocab:
    t_idx = torch.empty(tokens, dtype=torch.long, device="meta")
    t_oh = torch.empty(tokens, V, dtype=torch.float32, device="meta")
    idx_bytes.append(t_idx.numel() * t_idx.element_size())
    oh_bytes.append(t_oh.numel() * t_oh.element_size())
    # 4 bytes x V versus 8 bytes per token
    assert oh_bytes[-1] == idx_bytes[-1] * V // 2
    print(f"vocab {V:>7,}: index targets {idx_bytes[-1] / 2**10:.0f} KiB, "
          f"one-hot targets {oh_bytes[-1] / 2**20:8.1f} MiB")

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "One-hot target memory grows linearly with vocabulary size, reaching about 4 GiB "
    "for 128k classes, while class-index targets stay at 64 KiB"
))
ax.loglog(vocab, [b / 2**20 for b in oh_bytes], "o-", label="one-hot float32 targets")
ax.loglog(vocab, [b / 2**20 for b in idx_bytes], "s-",
          label="class-index int64 targets")
ax.set(xlabel="number of classes (vocabulary size)", ylabel="target memory (MiB)")
ax.legend()
fig.tight_layout()
