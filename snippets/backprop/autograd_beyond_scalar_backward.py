# %% backward(gradient=v) on a vector output computes the product v^T J
import warnings
import torch

torch.manual_seed(0)
A, v = torch.randn(2, 3), torch.randn(2)
x = torch.randn(3, requires_grad=True)
h = torch.tanh(x)                          # intermediate (non-leaf) tensors
k = 2 * h
out = A @ k                                # a vector output, not a scalar loss
try:
    out.backward()
    raise AssertionError("backward() without gradient= needs a scalar output")
except RuntimeError as err:
    print("out.backward() without gradient=:", err)
h.retain_grad()                            # ask autograd to keep d out/d h too
out.backward(gradient=v)
jacobian = 2 * A * (1 - torch.tanh(x.detach()) ** 2)  # d out / d x, by hand
assert torch.allclose(x.grad, v @ jacobian), "backward(gradient=v) gives v^T J"
assert torch.allclose(h.grad, 2 * v @ A), "retain_grad() keeps a non-leaf's grad"
with warnings.catch_warnings():
    warnings.simplefilter("ignore")        # reading .grad of a non-leaf warns
    assert k.grad is None, "a non-leaf without retain_grad() keeps no .grad"
print("x.grad = v^T J:", [round(g, 4) for g in x.grad.tolist()])

# %% create_graph=True: differentiate the gradient (a Hessian-vector product)
x = torch.randn(3, requires_grad=True)
u = torch.randn(3)
f = (x ** 3).sum()                         # Hessian = diag(6 x)
g, = torch.autograd.grad(f, x, create_graph=True)    # returned, not put in .grad
hvp, = torch.autograd.grad(g @ u, x)
assert x.grad is None, "torch.autograd.grad does not accumulate into .grad"
assert torch.allclose(g, 3 * x ** 2), "first derivative 3 x^2"
assert torch.allclose(hvp, 6 * x.detach() * u), "Hessian-vector product 6 x u"
print("Hessian-vector product:", [round(t, 4) for t in hvp.tolist()])

# %% Rounding has zero gradient; the straight-through estimator passes it on
w = torch.tensor([0.2, 0.7, 1.4], requires_grad=True)
g_round, = torch.autograd.grad(torch.round(w).sum(), w)
ste = w + (torch.round(w) - w).detach()    # forward: round(w); backward: identity
g_ste, = torch.autograd.grad(ste.sum(), w)
assert torch.equal(ste, torch.round(w)), "the forward value is the rounded one"
assert torch.equal(g_round, torch.zeros(3)), "round() passes back zero"
assert torch.equal(g_ste, torch.ones(3)), "the estimator passes back 1"
print("d round(w)/dw:", g_round.tolist(), " straight-through:", g_ste.tolist())

# %% Changing a saved tensor in place breaks the backward pass
z = torch.randn(3, requires_grad=True)
s = torch.sigmoid(z)                       # sigmoid's backward needs s itself
s.mul_(2)                                  # bumps the tensor's version counter
try:
    s.sum().backward()
    raise AssertionError("an in-place change to a saved tensor should be caught")
except RuntimeError as err:
    assert "modified by an inplace operation" in str(err), "the version check fires"
    print("in-place change caught:", str(err).split(":")[0])
