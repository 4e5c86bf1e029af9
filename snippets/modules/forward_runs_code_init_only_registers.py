# %% __init__ only creates and registers; forward is plain code that runs on every call
import torch
from torch import nn

torch.manual_seed(0)


class Looped(nn.Module):
    def __init__(self):
        super().__init__()
        # registered and counted, but forward never calls it
        self.unused = nn.Linear(4, 4)
        self.block = nn.Linear(4, 4)  # one layer, applied several times
        # state that is saved but not trained
        self.register_buffer("calls", torch.zeros(()))
        self.register_buffer("scratch", torch.zeros(2), persistent=False)  # not saved

    def forward(self, x, repeats: int = 3):
        self.calls += 1
        for _ in range(repeats):  # plain Python control flow, decided at call time
            x = torch.relu(self.block(x))
        return x


model = Looped()
x = torch.randn(2, 4)
model(x).sum().backward()
print("parameters:", [n for n, _ in model.named_parameters()],
      " buffers:", [n for n, _ in model.named_buffers()])
assert model.unused.weight.grad is None, "an unused layer gets no gradient"
assert model.block.weight.grad is not None, "the reused block gets a gradient"
assert "calls" in model.state_dict(), "a buffer is saved in the state_dict"
assert "scratch" not in model.state_dict(), "a non-persistent buffer is not saved"
print("unused layer got no gradient; the reused block did")

# the same parameters, a different computation: forward decides at each call
once = torch.relu(model.block(x))
assert torch.equal(model(x, repeats=1), once), "repeats=1 applies the block once"
assert not torch.allclose(model(x, repeats=1), model(x, repeats=3)), \
    "the number of applications is decided by the call, not by __init__"
print("forward ran", int(model.calls), "times; the buffer counted them")

# %% Counting parameters: shared ones once, trainable ones by requires_grad
by_layer = sum(p.numel() for m in (model.unused, model.block) for p in m.parameters())
assert sum(p.numel() for p in model.parameters()) == by_layer == 40, \
    "parameters() lists both layers' weights and biases"
model.alias = model.block  # the same layer registered under a second name
assert sum(p.numel() for p in model.parameters()) == by_layer, \
    "a shared parameter is listed once"
model.unused.requires_grad_(False)
trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
print("all parameters:", by_layer, "| trainable after freezing 'unused':", trainable)
assert trainable == sum(p.numel() for p in model.block.parameters()), \
    "the requires_grad filter counts only the block"

# %% A lazy module fixes its weight shape at the first call, not in __init__
lazy = nn.LazyLinear(3)
print("before the first call:", type(lazy.weight).__name__)
lazy(torch.randn(2, 5))
print("after a call with 5 input features:", tuple(lazy.weight.shape))
assert lazy.weight.shape == (3, 5), "the input size was inferred from the first input"

# %% super().__init__() has to run before the first submodule is assigned
class Broken(nn.Module):
    def __init__(self):
        self.fc = nn.Linear(2, 2)  # too early
        super().__init__()


try:
    Broken()
except AttributeError as err:
    print("AttributeError:", err)
else:
    raise AssertionError("expected an AttributeError")
