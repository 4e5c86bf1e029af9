# %% Scaled dot-product attention written out
import math
import torch
import torch.nn.functional as F

torch.manual_seed(0)
B, H, n, d_k = 2, 3, 5, 8
q, k, v = (torch.randn(B, H, n, d_k) for _ in range(3))


def attention(q, k, v, causal=False):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))  # (B, H, n, n)
    if causal:  # query i may only look at keys j <= i
        n_q, n_k = scores.shape[-2:]
        future = torch.ones(n_q, n_k, dtype=torch.bool).triu(diagonal=1)
        scores = scores.masked_fill(future, float("-inf"))
    weights = scores.softmax(dim=-1)  # each row sums to 1
    return weights @ v, weights


# %% Same result as PyTorch's fused kernel, with and without a causal mask
for causal in (False, True):
    mine, weights = attention(q, k, v, causal)
    ref = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
    assert torch.allclose(mine, ref, atol=1e-5), causal
    assert torch.allclose(weights.sum(-1), torch.ones(B, H, n))
    print(f"causal={causal!s:5}  manual == F.scaled_dot_product_attention (atol 1e-5)")

# with the causal mask, the first query can only attend to itself
assert torch.allclose(weights[..., 0, 0], torch.ones(B, H))
print("causal weights, head 0:\n", weights[0, 0].numpy().round(2))

# %% A query row with every key masked out has no softmax: it gives NaN
assert torch.isnan(torch.full((4,), float("-inf")).softmax(dim=0)).all()
print("softmax over an all -inf row: nan")
