# %% F.dropout does not know the module's mode unless you tell it
import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self, pass_training_flag: bool):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(4, 32), nn.Linear(32, 1)
        self.pass_flag = pass_training_flag

    def forward(self, x):
        h = F.relu(self.fc1(x))
        if self.pass_flag:
            h = F.dropout(h, p=0.5, training=self.training)  # correct
        else:
            h = F.dropout(h, p=0.5)  # bug: training defaults to True
        return self.fc2(h)


buggy, fixed = Net(False), Net(True)
fixed.load_state_dict(buggy.state_dict())  # identical weights
buggy.eval()
fixed.eval()
x = torch.randn(1, 4)
with torch.no_grad():
    runs = {
        "F.dropout(h)": [buggy(x).item() for _ in range(30)],
        "F.dropout(h, training=self.training)": [fixed(x).item() for _ in range(30)],
    }
for name, ys in runs.items():
    print(f"eval mode, {name:38s} distinct outputs over 30 calls: {len(set(ys))}")
assert len(set(runs["F.dropout(h)"])) > 1, "F.dropout(h) stays random after eval()"
assert len(set(runs["F.dropout(h, training=self.training)"])) == 1, \
    "with training=self.training the eval-mode model is deterministic"

fig, ax = plt.subplots(figsize=(6, 3.5), label=(
    "In eval mode the model that calls F.dropout without training= gives a different "
    "output on every call, the fixed model gives one constant output"
))
for name, ys in runs.items():
    ax.plot(range(1, 31), ys, marker="o", label=name)
ax.set_xlabel("call number (same input, model.eval())")
ax.set_ylabel("model output")
ax.legend()
fig.tight_layout()

# %% "No parameters, so use functional" is not the rule: dropout has none but has a mode
drop, bn = nn.Dropout(0.5), nn.BatchNorm1d(4, affine=False)
print("parameters: Dropout", len(list(drop.parameters())),
      "| BatchNorm1d(affine=False)", len(list(bn.parameters())),
      "with buffers", [n for n, _ in bn.named_buffers()])
assert len(list(drop.parameters())) == 0 and len(list(bn.parameters())) == 0, \
    "neither module has parameters"
z = torch.ones(8, 4)
assert not torch.equal(drop.train()(z), drop.eval()(z)), "Dropout depends on the mode"
z = torch.randn(8, 4) * 3 + 2
y_train = bn.train()(z)  # one update of the running stats (momentum 0.1)
y_eval = bn.eval()(z)
mu, var = z.mean(0), z.var(0, unbiased=False)
run_mu, run_var = 0.1 * mu, 0.9 + 0.1 * z.var(0)
assert torch.allclose(y_train, (z - mu) / torch.sqrt(var + 1e-5), atol=1e-5), \
    "BatchNorm1d(affine=False) in train() uses the batch statistics"
assert torch.allclose(y_eval, (z - run_mu) / torch.sqrt(run_var + 1e-5), atol=1e-5), \
    "BatchNorm1d(affine=False) in eval() uses the running statistics"
assert not torch.allclose(y_train, y_eval), "so its output changes with the mode"
print("both modules change behaviour between train() and eval()")

# %% Other functions default the other way: training=False, so they never train
rm, rv = torch.zeros(4), torch.ones(4)
out = F.batch_norm(z, rm, rv)  # inside a training model, this is still the eval form
assert torch.allclose(out, (z - rm) / torch.sqrt(rv + 1e-5)), \
    "F.batch_norm without training= normalises with the running stats"
assert torch.equal(rm, torch.zeros(4)), "and it does not update them"
assert torch.equal(F.alpha_dropout(z, p=0.5), z), \
    "F.alpha_dropout without training= drops nothing"
neg = -torch.ones(6)
assert torch.equal(F.rrelu(neg), neg * (1 / 8 + 1 / 3) / 2), \
    "F.rrelu without training= uses the fixed eval slope (lower + upper) / 2"
print("F.batch_norm, F.alpha_dropout and F.rrelu default to training=False")
# scaled_dot_product_attention has no training flag at all: dropout_p is applied
q = torch.randn(1, 2, 5, 8)
a, b = (F.scaled_dot_product_attention(q, q, q, dropout_p=0.5) for _ in range(2))
assert not torch.equal(a, b), "dropout_p > 0 drops on every call, in any mode"
print("F.scaled_dot_product_attention(dropout_p=0.5) is random on every call")
