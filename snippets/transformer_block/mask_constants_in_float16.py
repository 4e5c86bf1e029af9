# %% Which "minus infinity" survives float16?
import math
import torch
import torch.nn.functional as F

f16 = torch.float16
low = torch.finfo(f16).min  # -65504, the most negative finite float16
zero = torch.tensor(0, dtype=f16)  # the gap from v to the next float16 towards 0:
step = lambda v: (torch.nextafter(torch.tensor(v, dtype=f16), zero) - v).abs().item()
print(f"float16 range: {low:.0f} to {torch.finfo(f16).max:.0f}; "
      f"step near 65504: {step(65504.0):g}, near 1e4: {step(1e4):g}")
as_f16 = lambda v: torch.tensor(v).to(f16).item()
print("to float16: " + ", ".join(f"{v:g} -> {as_f16(v):g}" for v in
                                  (-1e4, -1e5, -1e9, torch.finfo(torch.float32).min)))
assert as_f16(-1e4) == -1e4 and as_f16(-1e5) == as_f16(-1e9) == -math.inf, (
    "-1e4 fits in float16; -1e5 and -1e9 round to -inf")
try:
    torch.zeros(4, dtype=f16).masked_fill(torch.tensor([True, False] * 2), -1e9)
    raise AssertionError("masked_fill with -1e9 should have refused")
except RuntimeError as error:
    print("masked_fill(-1e9) on float16:", error)
scores = torch.tensor([3.0, -15.0, -16.0, -40.0], dtype=f16)
summed = scores + low  # an *added* finfo.min mask
both = torch.full((1,), low, dtype=f16) + low  # two added masks: causal + padding
print("score + finfo.min:", summed.tolist(), "; finfo.min + finfo.min:", both.item())
assert summed.isinf().tolist() == [False, False, True, True], (
    "adding finfo.min overflows to -inf once the score is <= -16")
assert both.item() == -math.inf, "two added finfo.min masks overflow to -inf"

# %% One query, 6 keys: a partly and a fully masked row, with each constant
torch.manual_seed(0)
q, k, v = (torch.randn(1, 1, 6, 16, dtype=f16) for _ in range(3))
s = (q @ k.transpose(-2, -1) / 4)[0, 0, :2]  # two query rows, in float16
keep = torch.tensor([[True, True, True, False, False, False],  # 3 keys allowed
                     [False] * 6])  # none allowed (a left-padded query)
ways = {
    "fill -inf": lambda s: s.masked_fill(~keep, -math.inf),
    "fill finfo.min": lambda s: s.masked_fill(~keep, low),
    "add -1e4": lambda s: s + (~keep).to(f16) * -1e4,  # all float16
    "add -1e4, float32": lambda s: s.float() + (~keep) * -1e4,
}
ref = s[0, :3].float().softmax(-1)  # the answer for the partly masked row
print(f"{'mask':18s} partly masked row        fully masked row")
w = {}
for name, apply in ways.items():
    w[name] = apply(s).softmax(-1)
    print(f"{name:18s} {w[name][0].float().numpy().round(3)}  "
          f"{w[name][1].float().numpy().round(3)}")
    assert torch.allclose(w[name][0, :3].float(), ref, atol=2e-3), name
    assert torch.equal(w[name][0, 3:].float(), torch.zeros(3)), f"{name}: 0 weight"
assert w["fill -inf"][1].isnan().all(), "no key left, -inf: NaN"
assert torch.equal(w["fill finfo.min"][1], torch.full((6,), 1 / 6, dtype=f16)), (
    "no key left, finfo.min: uniform over the masked keys")
assert torch.allclose(w["add -1e4, float32"][1], s[1].float().softmax(-1), atol=1e-3), (
    "finite constant in float32: as if the row were not masked")
spread = lambda t: (t.max() - t.min()).item()
print(f"fully masked row, add -1e4: spread of weights {spread(w['add -1e4'][1]):.3f} "
      f"in float16 vs {spread(w['add -1e4, float32'][1]):.3f} in float32")
assert spread(w["add -1e4"][1]) < 0.2 * spread(w["add -1e4, float32"][1]), (
    "float16 rounds s - 1e4 to steps of 8, so the scores almost all tie")
wide = torch.tensor([0.0, 10.0, -10.0])  # scores further apart than one step of 8
coarse = (wide.to(f16) - 1e4).softmax(-1).float()
print(f"scores 0, 10, -10 with -1e4 added, float16: {(wide.to(f16) - 1e4).tolist()}; "
      f"top weight {coarse.max():.4f}, unmasked {wide.softmax(-1).max():.4f}")
assert torch.allclose(coarse, wide.softmax(-1), atol=1e-2) and spread(coarse) > 0.9, (
    "wider scores do not tie: a coarse copy of the unmasked softmax")

# %% F.scaled_dot_product_attention with the boolean mask, in float16
mask = torch.cat([keep, keep[:1].expand(4, 6)])[None, None]  # rows 2..5: partly
sdpa = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
by_hand = w["fill -inf"].float() @ v[0, 0].float()
assert torch.allclose(sdpa[0, 0, 0].float(), by_hand[0], atol=2e-3), "partly: same"
assert torch.equal(sdpa[0, 0, 1], torch.zeros(16, dtype=f16)), "fully: exact zeros"
print("SDPA, float16, boolean mask: partly masked row matches by hand; "
      "fully masked row -> zeros, not NaN")
