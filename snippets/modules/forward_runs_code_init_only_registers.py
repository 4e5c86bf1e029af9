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
model(torch.randn(2, 4)).sum().backward()
print("parameters:", [n for n, _ in model.named_parameters()],
      " buffers:", [n for n, _ in model.named_buffers()])
assert model.unused.weight.grad is None and model.block.weight.grad is not None
assert "calls" in model.state_dict() and "scratch" not in model.state_dict()
assert len(list(model.parameters())) == 4
model.alias = model.block  # the same layer registered under a second name
assert len(list(model.parameters())) == 4  # shared parameters are listed once
print("unused layer got no gradient; the reused block did")

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
