# %% What reduction='mean' divides by
import warnings
import torch
import torch.nn.functional as F

torch.manual_seed(0)
pred, target = torch.randn(4, 3), torch.randn(4, 3)         # batch of 4, 3 outputs
sq = (pred - target) ** 2
assert torch.allclose(F.mse_loss(pred, target), sq.sum() / 12), "every element: N*d"
assert not torch.allclose(F.mse_loss(pred, target), sq.sum() / 4), "not the batch"

logits, labels = torch.randn(6, 4), torch.tensor([0, 3, 1, 1, 2, 0])
w = torch.tensor([1.0, 2.0, 3.0, 4.0])                       # class weights
per_example = -w[labels] * logits.log_softmax(1)[torch.arange(6), labels]
weighted = F.cross_entropy(logits, labels, weight=w)
print(f"weighted CE {weighted:.4f} = sum / sum of weights "
      f"{per_example.sum() / w[labels].sum():.4f}, not sum / N "
      f"{per_example.sum() / 6:.4f}")
assert torch.allclose(weighted, per_example.sum() / w[labels].sum()), (
    "weighted CE divides by the weights of the targets"
)

log_q, p = torch.randn(3, 5).log_softmax(1), torch.randn(3, 5).softmax(1)
kl = (p * (p.log() - log_q)).sum(1).mean()                   # mean KL per example
batchmean = F.kl_div(log_q, p, reduction="batchmean")        # takes log q as input
assert torch.allclose(batchmean, kl), "batchmean = KL per example"
with warnings.catch_warnings():
    warnings.simplefilter("ignore")          # PyTorch warns that 'mean' is not KL
    elementwise = F.kl_div(log_q, p, reduction="mean")
assert torch.allclose(elementwise, kl / 5), "'mean' also divides by the 5 classes"
print(f"KL per example {kl:.4f}: batchmean {batchmean:.4f}, mean {elementwise:.4f}")

# %% Mean keeps the gradient's size independent of the batch size; sum does not
model = torch.nn.Linear(10, 1)
def grad_norm(batch, reduction):
    x = torch.randn(batch, 10)
    y = x.sum(1, keepdim=True)
    model.zero_grad()
    F.mse_loss(model(x), y, reduction=reduction).backward()
    return model.weight.grad.norm().item()

norms = {red: [grad_norm(b, red) for b in (256, 4096)] for red in ("mean", "sum")}
for red, (small, large) in norms.items():
    print(f"{red:4s}: gradient norm {small:8.2f} at batch 256, "
          f"{large:8.2f} at 4096 (ratio {large / small:.2f})")
assert 0.8 < norms["mean"][1] / norms["mean"][0] < 1.25, "mean: about the same size"
assert norms["sum"][1] / norms["sum"][0] > 12, "sum: grows with the batch (x16)"

# Adam divides by the gradient's own scale, so its first step hardly notices
steps = {}
for red in ("mean", "sum"):
    net = torch.nn.Linear(10, 1)
    torch.nn.init.zeros_(net.weight), torch.nn.init.zeros_(net.bias)
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    x = torch.randn(64, 10, generator=torch.Generator().manual_seed(1))
    F.mse_loss(net(x), x.sum(1, keepdim=True), reduction=red).backward()
    opt.step()
    steps[red] = net.weight.detach().clone()
gap = (steps["mean"] - steps["sum"]).abs().max()
print(f"first Adam step, mean vs sum loss: largest difference {gap:.1e} "
      f"(step size {steps['mean'].abs().max():.3f})")
assert gap < 1e-6, "Adam: the same step whichever reduction"

# %% Gradient accumulation: divide by the total token count, not a mean of means
tokens = [torch.rand(3), 2 * torch.rand(7)]   # per-token losses of two micro-batches
full = torch.cat(tokens).mean()               # the loss of the whole batch
mean_of_means = sum(t.mean() for t in tokens) / 2
by_count = sum(t.sum() for t in tokens) / sum(len(t) for t in tokens)
print(f"whole batch {full:.4f}, by total count {by_count:.4f}, "
      f"mean of micro-batch means {mean_of_means:.4f}")
assert torch.allclose(by_count, full), "sum / total tokens = the whole-batch loss"
assert not torch.allclose(mean_of_means, full), "a mean of means is not the same"
