# %% SWA: AveragedModel keeps the plain mean of the weights it is shown
import copy
import torch
import torch.nn as nn
from torch.optim.swa_utils import AveragedModel, update_bn

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)  # so the comparison can be tight
X = torch.randn(1024, 2)
y = torch.sin(2 * X[:, :1]) * X[:, 1:] + 0.3 * torch.randn(1024, 1)
X_train, y_train, X_test, y_test = X[:512], y[:512], X[512:], y[512:]
model = nn.Sequential(nn.Linear(2, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 1))
swa = AveragedModel(model)  # a deep copy; equal weights for every update
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
mse = lambda net, X, y: ((net(X) - y) ** 2).mean().item()
snapshots = []
for step in range(400):  # constant learning rate; average every 10 steps after 200
    idx = torch.randint(512, (32,))
    loss = ((model(X_train[idx]) - y_train[idx]) ** 2).mean()
    opt.zero_grad(); loss.backward(); opt.step()
    if step >= 200 and step % 10 == 9:
        swa.update_parameters(model)
        snapshots.append(copy.deepcopy(model.state_dict()))
print(f"{len(snapshots)} snapshots averaged; n_averaged = {swa.n_averaged.item()}")
assert swa.n_averaged.item() == len(snapshots), "one count per update_parameters call"
for name, p in swa.module.named_parameters():
    by_hand = torch.stack([s[name] for s in snapshots]).mean(0)
    assert torch.allclose(p, by_hand, rtol=1e-12, atol=1e-14), f"{name}: plain mean"
gap = (swa.module[3].weight - model[3].weight).abs().max().item()
assert gap > 1e-3, "the average is not the last iterate"
print(f"every averaged weight equals the mean of the snapshots (rtol 1e-12); "
      f"largest output-weight gap to the last iterate {gap:.3f}")

# %% The BN statistics are not averaged: recompute them with update_bn
bn, bn_swa = model[1], swa.module[1]
assert torch.equal(bn_swa.running_mean, bn.running_mean), "buffers copied, not averaged"
model.eval(); swa.eval()
stale = mse(swa, X_test, y_test)
loader = [X_train[i:i + 64] for i in range(0, 512, 64)]  # one pass, 8 equal batches
update_bn(loader, swa)  # resets the stats, then a cumulative average (momentum=None)
with torch.no_grad():
    pre_bn = [swa.module[0](b) for b in loader]  # what BN sees under averaged weights
mean_want = torch.cat(pre_bn).mean(0)
var_want = torch.stack([a.var(0) for a in pre_bn]).mean(0)  # mean of unbiased vars
assert torch.allclose(bn_swa.running_mean, mean_want), "running_mean: data mean"
assert torch.allclose(bn_swa.running_var, var_want), "running_var: mean batch var"
assert bn_swa.momentum == 0.1 and not swa.training, "momentum and mode restored"
fresh = mse(swa, X_test, y_test)
last = mse(model, X_test, y_test)
print(f"test MSE: last SGD iterate {last:.4f}; SWA with the last iterate's BN stats "
      f"{stale:.4f}; SWA after update_bn {fresh:.4f}")
assert fresh < stale, "in this run: stale BN statistics cost accuracy"
assert fresh < last, "in this run: the SWA average beats the last SGD iterate"
