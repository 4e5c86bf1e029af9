# %% Shift the input by one pixel: stride 1 shifts the output, stride 2 does not
import torch
import torch.nn as nn

torch.manual_seed(0)
x = torch.randn(1, 4, 64)
shifted = torch.roll(x, 1, dims=-1)  # move the signal one step to the right
circ = nn.Conv1d(4, 8, 3, padding=1, padding_mode="circular")  # no border at all
zero = nn.Conv1d(4, 8, 3, padding=1)  # zero padding: borders exist
zero.load_state_dict(circ.state_dict())


def gap(a, b):  # largest absolute difference
    return (a - b).abs().max().item()


with torch.no_grad():
    eq_circ = gap(circ(shifted), torch.roll(circ(x), 1, dims=-1))
    # with zero padding, compare away from the two borders (and the wrapped sample)
    eq_zero = gap(zero(shifted)[..., 2:-2], torch.roll(zero(x), 1, dims=-1)[..., 2:-2])
    edge = gap(zero(shifted)[..., :1], torch.roll(zero(x), 1, dims=-1)[..., :1])
print(f"stride 1, circular padding: conv(shift x) vs shift(conv x): {eq_circ:.1e}")
print(f"stride 1, zero padding: {eq_zero:.1e} inside, {edge:.2f} at the border")
assert eq_circ < 1e-5 and eq_zero < 1e-5, "stride 1: translation-equivariant"
assert edge > 0.1, "zero padding breaks it at the borders"

# %% With stride 2, only shifts by a multiple of the stride carry through
circ.stride = (2,)
with torch.no_grad():
    y = circ(x)
    by_two = gap(circ(torch.roll(x, 2, dims=-1)), torch.roll(y, 1, dims=-1))
    by_one = [gap(circ(shifted), torch.roll(y, s, dims=-1)) for s in range(y.shape[-1])]
print(f"stride 2, input shifted by 2: matches the output shifted by 1 ({by_two:.1e})")
print(f"stride 2, input shifted by 1: every shifted output is off by at least "
      f"{min(by_one):.2f}")
assert by_two < 1e-5, "a shift by the stride is still equivariant"
assert min(by_one) > 0.1, "a one-pixel shift changes what the subsampling keeps"
