# %% 'Sparse' (class index) and 'categorical' (one-hot) targets: same loss, gradient
import torch
import torch.nn.functional as F

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
assert torch.allclose(loss_idx, loss_oh) and torch.allclose(g_idx, g_oh), (
    "index and one-hot targets: same loss, same gradient"
)
assert torch.allclose(g_idx, (logits.softmax(1) - one_hot) / 6), "gradient (p - y)/N"

# %% With class weights the two formats normalise differently
w = torch.tensor([1.0, 2.0, 3.0, 4.0])
per_example = -(one_hot * w * logits.log_softmax(1)).sum(1)       # w_y * -log p_y
w_idx = F.cross_entropy(logits, idx, weight=w)
w_oh = F.cross_entropy(logits, one_hot, weight=w)
print(f"weight=: class-index targets {w_idx:.5f}   one-hot targets {w_oh:.5f}")
assert torch.allclose(w_idx, per_example.sum() / w[idx].sum()), "indices: / sum w_y"
assert torch.allclose(w_oh, per_example.sum() / 6), "probabilities: / N"
assert not torch.allclose(w_idx, w_oh), "so the two formats disagree"

# %% What only probability targets can express: soft labels and label smoothing
eps = 0.1
# mass eps spread over all K classes
smoothed = (1 - eps) * one_hot + eps / K
ls = F.cross_entropy(logits, idx, label_smoothing=eps)
assert torch.allclose(ls, F.cross_entropy(logits, smoothed)), (
    "label_smoothing = the smoothed targets as probabilities"
)
assert torch.allclose(ls, -(smoothed * logits.log_softmax(1)).sum(1).mean()), (
    "and = the cross-entropy formula with those targets"
)
print(f"label_smoothing=0.1 with indices: {ls:.5f}   the same targets written as "
      f"probabilities: {F.cross_entropy(logits, smoothed):.5f}")

# %% Sequences: classes go in dim 1, ignore_index (default -100) skips padded positions
# (batch, time, classes)
seq_logits, seq_idx = torch.randn(2, 5, K), torch.randint(0, K, (2, 5))
seq_idx[1, 3:] = -100                                                       # padding
flat = F.cross_entropy(seq_logits.reshape(-1, K), seq_idx.reshape(-1))
# (N, C, T) layout
assert torch.allclose(F.cross_entropy(seq_logits.transpose(1, 2), seq_idx), flat), (
    "(N, C, T) layout = flattened (N*T, C)"
)
keep = seq_idx.reshape(-1) != -100
assert torch.allclose(flat, F.cross_entropy(seq_logits.reshape(-1, K)[keep],
                                            seq_idx.reshape(-1)[keep])), (
    "ignore_index = dropping the padded positions"
)
print(f"sequence loss over {int(keep.sum())} real tokens "
      f"({int((~keep).sum())} padded ones ignored): {flat:.5f}")
