# %% A model is a subclass of nn.Module: layers in __init__, computation in forward
import torch
from torch import nn

torch.manual_seed(0)


class SmallCNN(nn.Module):
    def __init__(self, in_channels: int = 3, n_classes: int = 10):
        super().__init__()  # must come first: it sets up the registries
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 8, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.head = nn.Linear(8 * 4 * 4, n_classes)

    def forward(self, x):  # any Python code: the graph is built as it runs
        h = self.features(x)
        return self.head(h.flatten(start_dim=1))


model = SmallCNN()
print(model)
x = torch.randn(2, 3, 8, 8)
print("output shape:", tuple(model(x).shape))
assert model(x).shape == (2, 10), "one score per class for each of the 2 images"

# %% Parameters are registered automatically, with dotted names
for name, p in model.named_parameters():
    print(f"{name:20s} {str(tuple(p.shape)):15s} {p.numel():5d}")
total = sum(p.numel() for p in model.parameters())
expected = (3 * 3 * 3 * 8 + 8) + (8 * 4 * 4 * 10 + 10)  # conv w+b, linear w+b
print("total parameters:", total)
assert total == expected == 1514, "numel over parameters() matches the formulas"
assert list(model.state_dict()) == [n for n, _ in model.named_parameters()], \
    "with no buffers, the state_dict keys are the parameter names"
