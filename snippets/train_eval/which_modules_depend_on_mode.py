# %% Same input through each module in train() and eval(): does the output change?
import copy

import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(4, 6, 8) * 2 + 1  # (batch, channels/sequence, features)


class FirstOutput(nn.Module):  # recurrent layers return (output, hidden)
    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn

    def forward(self, x):
        return self.rnn(x)[0]


modules = {
    "Linear": nn.Linear(8, 8), "ReLU": nn.ReLU(), "LayerNorm": nn.LayerNorm(8),
    "GroupNorm": nn.GroupNorm(2, 6), "Dropout": nn.Dropout(0.5),
    "BatchNorm1d": nn.BatchNorm1d(6),
    "RReLU": nn.RReLU(),  # random negative slope in training, fixed slope in eval
    "InstanceNorm1d": nn.InstanceNorm1d(6),
    "InstanceNorm1d(track)": nn.InstanceNorm1d(6, track_running_stats=True),
    "GRU(dropout=0.5)": FirstOutput(
        nn.GRU(8, 8, num_layers=2, dropout=0.5, batch_first=True)
    ),
    "TransformerEncoderLayer": nn.TransformerEncoderLayer(8, 2, 16, batch_first=True),
}
depends = {}
with torch.no_grad():
    for name, m in modules.items():
        torch.manual_seed(1)
        out_train = copy.deepcopy(m).train()(x)
        out_eval = copy.deepcopy(m).eval()(x)
        depends[name] = not torch.allclose(out_train, out_eval, atol=1e-5)
        n_params = sum(p.numel() for p in m.parameters())
        print(f"{name:24s} parameters: {n_params:4d}   "
              f"output depends on mode: {depends[name]}")
mode_dependent = {n for n, d in depends.items() if d}
assert mode_dependent == {"Dropout", "BatchNorm1d", "RReLU", "InstanceNorm1d(track)",
                          "GRU(dropout=0.5)", "TransformerEncoderLayer"}
# learnable params, no mode behaviour
assert not depends["Linear"] and not depends["LayerNorm"]
assert torch.allclose(nn.RReLU().eval()(-torch.ones(1)),
                      -torch.tensor([(1 / 8 + 1 / 3) / 2]))

# %% eval() is recursive and is just train(False); it returns the module itself
model = nn.Sequential(nn.Linear(8, 8), nn.Sequential(nn.Dropout(), nn.BatchNorm1d(6)))
assert model.eval() is model
assert not any(m.training for m in model.modules())
model.train()
assert all(m.training for m in model.modules())
print("model.eval() set training=False on all", len(list(model.modules())),
      "submodules")
