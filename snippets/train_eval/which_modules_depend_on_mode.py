# %% Same input through each module in train() and eval(): does the output change?
import copy

import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(4, 6, 8) * 2 + 1  # (batch, channels/sequence, features)


class FirstOutput(nn.Module):  # recurrent and attention layers return tuples
    def __init__(self, inner, self_attention=False):
        super().__init__()
        self.inner, self.self_attention = inner, self_attention

    def forward(self, x):
        return (self.inner(x, x, x) if self.self_attention else self.inner(x))[0]


modules = {
    "Linear": nn.Linear(8, 8), "ReLU": nn.ReLU(), "LayerNorm": nn.LayerNorm(8),
    "GroupNorm": nn.GroupNorm(2, 6), "Dropout": nn.Dropout(0.5),
    "AlphaDropout": nn.AlphaDropout(0.5),
    "BatchNorm1d": nn.BatchNorm1d(6),
    "BatchNorm1d(no track)": nn.BatchNorm1d(6, track_running_stats=False),
    "RReLU": nn.RReLU(),  # random negative slope in training, fixed slope in eval
    "InstanceNorm1d": nn.InstanceNorm1d(6),
    "InstanceNorm1d(track)": nn.InstanceNorm1d(6, track_running_stats=True),
    "GRU(dropout=0.5)": FirstOutput(
        nn.GRU(8, 8, num_layers=2, dropout=0.5, batch_first=True)
    ),
    "MultiheadAttention": FirstOutput(nn.MultiheadAttention(8, 2), True),
    "TransformerEncoderLayer": nn.TransformerEncoderLayer(8, 2, 16, batch_first=True),
}
depends = {}
with torch.no_grad():
    for name, m in modules.items():
        for _ in range(3):  # a few training batches, so running stats are not 0 and 1
            m.train()(torch.randn(4, 6, 8) * 3 - 2)
        torch.manual_seed(1)
        out_train = copy.deepcopy(m).train()(x)
        out_eval = copy.deepcopy(m).eval()(x)
        depends[name] = not torch.allclose(out_train, out_eval, atol=1e-5)
        n_params = sum(p.numel() for p in m.parameters())
        print(f"{name:24s} parameters: {n_params:4d}   "
              f"output depends on mode: {depends[name]}")
mode_dependent = {n for n, d in depends.items() if d}
print(f"{len(mode_dependent)} of {len(modules)} module types depend on the mode")
assert mode_dependent == {"Dropout", "AlphaDropout", "BatchNorm1d", "RReLU",
                          "InstanceNorm1d(track)", "GRU(dropout=0.5)",
                          "TransformerEncoderLayer"}, \
    "exactly these modules change with the mode"
assert not depends["Linear"] and not depends["LayerNorm"], \
    "learnable parameters do not make a module mode-dependent"
assert torch.allclose(nn.RReLU().eval()(-torch.ones(1)),
                      -torch.tensor([(1 / 8 + 1 / 3) / 2])), \
    "RReLU in eval uses the fixed slope (lower + upper) / 2"

# %% AlphaDropout is not 'zero and scale by 1/(1-p)': it keeps mean and variance
p, alpha = 0.5, -1.7580993408473766  # alpha' = -scale * alpha of SELU
a = ((1 - p) * (1 + p * alpha**2)) ** -0.5  # Klambauer et al. 2017, affine correction
b = -a * alpha * p
out = nn.AlphaDropout(p).train()(torch.ones(1000))
values = sorted(set(out.round(decimals=4).tolist()))
print("AlphaDropout(0.5) on ones, train mode: values", [f"{v:.4f}" for v in values])
assert torch.allclose(torch.tensor(values), torch.tensor([a * alpha + b, a + b]),
                      atol=1e-4), "dropped units -> a*alpha' + b, kept units -> a*x + b"
assert 0 not in values and 2 not in values, "unlike Dropout: no zeros, no factor 2"

# %% In eval, attention layers may take a fused fast path: close, not always identical
layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True)
with torch.no_grad():
    ref = layer.train()(x)
    fast = layer.eval()(x)
    torch.backends.mha.set_fastpath_enabled(False)
    slow = layer.eval()(x)
    torch.backends.mha.set_fastpath_enabled(True)
print(f"dropout=0, eval vs train, largest difference: {(fast - ref).abs().max():.1e}")
assert torch.allclose(fast, ref, atol=1e-5), "the fast path computes the same maths"
assert torch.equal(slow, ref), "with the fast path off, eval equals train exactly"
assert not torch.equal(fast, slow), "in this run eval() took the fast path"

# %% eval() is recursive and is just train(False); it returns the module itself
model = nn.Sequential(nn.Linear(8, 8), nn.Sequential(nn.Dropout(), nn.BatchNorm1d(6)))
assert model.eval() is model, "eval() returns the module"
assert not any(m.training for m in model.modules()), "eval() reaches nested modules"
model.train()
assert all(m.training for m in model.modules()), "train() switches them all back"
print("model.eval() set training=False on all", len(list(model.modules())),
      "submodules")
