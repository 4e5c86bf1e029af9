# %% nn.Embedding is a lookup table: row i of the weight matrix is the vector of token i
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
vocab, dim = 10, 4
emb = nn.Embedding(vocab, dim)
ids = torch.tensor([3, 7, 3, 0])

looked_up = emb(ids)
one_hot = F.one_hot(ids, vocab).float()        # (4, 10): a 1 in column `id`
matmul = one_hot @ emb.weight                  # (4, 10) @ (10, 4)
assert torch.equal(looked_up, emb.weight[ids]), "it is literally indexing"
assert torch.equal(looked_up, matmul), "and exactly equals one-hot times the weights"
print("lookup == one_hot @ W, bit for bit:", torch.equal(looked_up, matmul))

# %% Same for a bias-free nn.Linear fed one-hot vectors (weight is stored transposed)
lin = nn.Linear(vocab, dim, bias=False)
with torch.no_grad():
    lin.weight.copy_(emb.weight.T)
assert torch.equal(lin(one_hot), looked_up), "a bias-free Linear on one-hot inputs"
print("Linear(one_hot) == Embedding(ids), bit for bit:",
      torch.equal(lin(one_hot), looked_up))

# %% Only the rows that were looked up receive a gradient
looked_up.pow(2).sum().backward()
rows_with_grad = emb.weight.grad.abs().sum(1).nonzero().flatten().tolist()
print("rows with non-zero gradient:", rows_with_grad,
      "| gradient tensor shape:", tuple(emb.weight.grad.shape))
assert rows_with_grad == sorted(set(ids.tolist())), "only the rows that were used"
assert torch.allclose(emb.weight.grad[3], 2 * 2 * emb.weight[3]), (
    "token 3 appeared twice: gradients add up"
)
# for huge tables: gradient stored as (rows, values)
sparse = nn.Embedding(vocab, dim, sparse=True)
sparse(ids).sum().backward()
assert sparse.weight.grad.is_sparse, "sparse=True stores only the used rows' gradients"
print("sparse=True gives a sparse gradient:", sparse.weight.grad.is_sparse)

# %% No gradient is not the same as no update: step 1 uses row 3, step 2 only row 5
optimisers = {  # name: (class, extra arguments); everything else at its default
    "SGD": (torch.optim.SGD, {}), "SparseAdam": (torch.optim.SparseAdam, {}),
    "SGD+momentum": (torch.optim.SGD, {"momentum": 0.9}),
    "Adam": (torch.optim.Adam, {}), "AdamW": (torch.optim.AdamW, {}),
}
changed = {}
for name, (cls, extra) in optimisers.items():
    torch.manual_seed(0)
    table = nn.Embedding(vocab, dim, sparse=name == "SparseAdam")
    opt = cls(table.parameters(), lr=0.1, **extra)
    for row in (3, 5):
        start = table.weight.detach().clone()
        table(torch.tensor([row])).sum().backward()
        opt.step(); opt.zero_grad()
    changed[name] = (table.weight.detach() != start).any(1).nonzero().flatten().tolist()
    print(f"{name:<12} rows changed by step 2: {changed[name]}")
assert changed["SGD"] == changed["SparseAdam"] == [5], (
    "plain SGD and SparseAdam touch only used rows"
)
assert changed["SGD+momentum"] == [3, 5], "SGD's momentum buffer keeps moving row 3"
assert changed["Adam"] == [3, 5], "Adam's momentum keeps moving row 3"
assert changed["AdamW"] == list(range(vocab)), "weight decay shrinks every row"

# %% padding_idx: that row starts at zero and never receives a gradient
pad = nn.Embedding(vocab, dim, padding_idx=0)
pad(torch.tensor([0, 0, 5])).sum().backward()
print("padding row:", pad.weight[0].tolist(),
      "| its gradient:", pad.weight.grad[0].tolist())
assert torch.count_nonzero(pad.weight[0]) == 0, "the padding row is created as zeros"
assert torch.count_nonzero(pad.weight.grad[0]) == 0, "and gets no gradient"
