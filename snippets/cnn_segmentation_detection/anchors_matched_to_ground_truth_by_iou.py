# %% Faster R-CNN's anchors: 3 scales x 3 aspect ratios at every feature-map position
import torch
import torch.nn.functional as F

torch.manual_seed(0)
H, W, stride = 600, 1000, 16  # a 1000 x 600 image and VGG-16's conv5 stride
x = torch.empty(1, 3, H, W, device="meta")  # VGG's 3x3 convs keep the size;
for _ in range(4):                           # its four 2x2 max-pools floor it
    x = F.max_pool2d(x, 2)
fh, fw = x.shape[-2:]
x = torch.empty(1, 3, H, W, device="meta")
for _ in range(4):  # Caffe, which the paper used, rounds pooled sizes up instead
    x = F.max_pool2d(x, 2, ceil_mode=True)
print(f"feature map {fh} x {fw} = {fh * fw} positions (PyTorch's floor); "
      f"{x.shape[-2]} x {x.shape[-1]} = {x.shape[-2] * x.shape[-1]} (ceil_mode)")
assert abs(x.shape[-2] * x.shape[-1] - 2400) < 10, "ceil: the paper's ~2,400 positions"
scales = torch.tensor([128.0, 256, 512], dtype=torch.float64)
ratios = torch.tensor([0.5, 1, 2], dtype=torch.float64)  # h / w
s, r = torch.meshgrid(scales, ratios, indexing="ij")
w, h = (s / r.sqrt()).round().flatten(), (s * r.sqrt()).round().flatten()  # area ~ s^2
print("anchor shapes (w x h):", ", ".join(f"{a:.0f}x{b:.0f}" for a, b in zip(w, h)))
cy, cx = torch.meshgrid((torch.arange(fh) + 0.5) * stride,
                        (torch.arange(fw) + 0.5) * stride, indexing="ij")
cx, cy = cx.reshape(-1, 1).double(), cy.reshape(-1, 1).double()  # one per position
anchors = torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], -1).view(-1, 4)
inside = ((anchors[:, :2] >= 0) & (anchors[:, 2:] <= torch.tensor([W, H]))).all(1)
print(f"{fh * fw} positions x 9 = {len(anchors)} anchors; "
      f"{int(inside.sum())} lie inside the {W} x {H} image")
assert abs(len(anchors) - 20000) < 0.05 * 20000, "the paper's 'roughly 20000' anchors"

# %% Label the anchors: positive, negative or ignored
def box_iou(a, b):  # (N, 4) and (M, 4) boxes as (x1, y1, x2, y2) -> (N, M) IoUs
    area = lambda t: (t[:, 2] - t[:, 0]) * (t[:, 3] - t[:, 1])
    top_left = torch.maximum(a[:, None, :2], b[None, :, :2])
    bottom_right = torch.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = (bottom_right - top_left).clamp(min=0).prod(-1)
    return inter / (area(a)[:, None] + area(b)[None, :] - inter)


def label(anchors, truth, low=0.3, high=0.7, best_rule=True):  # 1, 0, or -1: ignore
    iou = box_iou(anchors, truth)
    best = iou.max(1).values
    labels = torch.full((len(anchors),), -1)
    labels[best < low] = 0
    labels[best > high] = 1
    if best_rule:  # each object's best anchors (ties too) are positive
        labels[(iou == iou.max(0).values).any(1)] = 1
    return labels, iou


truth = torch.tensor([[100.0, 150, 420, 380], [500, 100, 760, 560],  # car, person,
                      [850, 300, 900, 340]], dtype=torch.float64)     # a small sign
a = anchors[inside]  # cross-boundary anchors are left out of training
labels, iou = label(a, truth)
plain, _ = label(a, truth, best_rule=False)
best_per_object = iou.max(0).values
for j, name in enumerate(["car", "person", "sign"]):
    print(f"{name:6}: best IoU {best_per_object[j]:.2f}, "
          f"{int((iou[:, j] > 0.7).sum()):3} anchors above 0.7, "
          f"{int(((labels == 1) & (iou.argmax(1) == j)).sum()):3} positives")
counts = [int((labels == v).sum()) for v in (1, 0, -1)]
print(f"positive {counts[0]}, negative {counts[1]}, ignored {counts[2]}")
sign_best = iou[:, 2] == best_per_object[2]  # the sign's best anchors (ties included)
assert not (plain == 1)[iou.argmax(1) == 2].any(), (
    "with the 0.7 threshold alone, the small sign gets no positive anchor"
)
assert (labels[sign_best] == 1).all(), "the best-anchor rule gives it some"
# whole-pixel sizes make ties exact: the best are the 128x128 anchors holding the sign
around = lambda lo, hi: sum(c - 64 <= lo and c + 64 >= hi for c in range(8, 1000, 16))
print(f"sign: {int(sign_best.sum())} tied best anchors; 128 x 128 anchors that contain "
      f"it: {around(850, 900)} x {around(300, 340)}")
assert int(sign_best.sum()) == around(850, 900) * around(300, 340), "ties are exact"
assert best_per_object[2] == 50 * 40 / 128**2, "IoU = sign area / anchor area"

# the rules read literally, one anchor at a time, with a separate IoU function
def iou_pair(p, q):
    w, h = min(p[2], q[2]) - max(p[0], q[0]), min(p[3], q[3]) - max(p[1], q[1])
    inter, area = max(w, 0) * max(h, 0), lambda t: (t[2] - t[0]) * (t[3] - t[1])
    return inter / (area(p) + area(q) - inter)


rows = [[iou_pair(p, q) for q in truth.tolist()] for p in a.tolist()]
top = [max(col) for col in zip(*rows)]
expected = []
for row in rows:
    positive = any(v > 0.7 for v in row) or any(v == t for v, t in zip(row, top))
    expected.append(1 if positive else 0 if all(v < 0.3 for v in row) else -1)
assert labels.tolist() == expected, "vectorised labels follow the paper's rules"
print(f"all {len(rows)} labels match a per-anchor reading of the rules")
