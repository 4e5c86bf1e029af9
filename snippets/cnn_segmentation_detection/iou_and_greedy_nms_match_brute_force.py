# %% IoU of every pair of boxes at once, checked by counting pixels
import torch
import matplotlib.pyplot as plt
import matplotlib.patches as patches

torch.manual_seed(0)

def box_iou(a, b):  # (N, 4) and (M, 4) boxes as (x1, y1, x2, y2) -> (N, M) IoUs
    area = lambda t: (t[:, 2] - t[:, 0]) * (t[:, 3] - t[:, 1])
    top_left = torch.maximum(a[:, None, :2], b[None, :, :2])
    bottom_right = torch.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = (bottom_right - top_left).clamp(min=0).prod(-1)  # 0 if they miss
    return inter / (area(a)[:, None] + area(b)[None, :] - inter)


G, g = 20, torch.Generator().manual_seed(1)
x1y1 = torch.randint(G - 1, (100, 2), generator=g)
size = 1 + (torch.rand(100, 2, generator=g) * (G - x1y1)).long()  # stays on the grid
boxes = torch.cat([x1y1, x1y1 + size], 1).double()
yy, xx = torch.meshgrid(torch.arange(G), torch.arange(G), indexing="ij")
masks = ((xx >= boxes[:, None, None, 0]) & (xx < boxes[:, None, None, 2])
         & (yy >= boxes[:, None, None, 1]) & (yy < boxes[:, None, None, 3])).flatten(1)
both = (masks[:, None] & masks[None]).sum(-1)
either = (masks[:, None] | masks[None]).sum(-1)
ious = box_iou(boxes, boxes)
assert torch.equal(ious, both.double() / either), "IoU = shared / either, in pixels"
print(f"{len(boxes)} boxes on a {G} x {G} grid: box_iou equals the pixel count "
      f"exactly; {(ious == 0).float().mean():.0%} of {len(boxes) ** 2} pairs miss")
touching = torch.tensor([[0.0, 0, 2, 2], [2, 0, 4, 2]])  # they share an edge only
assert box_iou(touching, touching)[0, 1] == 0, "boxes that only touch have IoU 0"

# %% Greedy NMS against a recursive definition written independently
def nms(boxes, scores, threshold):  # vectorised greedy NMS; returns kept indices
    order = scores.argsort(descending=True)
    overlaps = box_iou(boxes[order], boxes[order]) > threshold
    alive, keep = torch.ones(len(order), dtype=torch.bool), []
    for i in range(len(order)):
        if alive[i]:  # no kept box with a higher score overlaps it too much
            keep.append(order[i].item())
            alive &= ~overlaps[i]
    return keep


def iou_pair(a, b):  # plain Python, one pair
    w, h = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
    inter, area = max(w, 0) * max(h, 0), lambda t: (t[2] - t[0]) * (t[3] - t[1])
    return inter / (area(a) + area(b) - inter)


def nms_recursive(items, threshold):  # keep the best; recurse on what it spares
    if not items:
        return []
    best = max(items)  # items are (score, index, box)
    spared = [it for it in items if it is not best
              and iou_pair(best[2], it[2]) <= threshold]
    return [best[1]] + nms_recursive(spared, threshold)


for trial in range(60):
    n, threshold = 25, [0.3, 0.5, 0.7][trial % 3]
    b = torch.cat([torch.rand(n, 2) * 10, torch.rand(n, 2) * 10 + 10], 1)
    b[:, 2:] = b[:, :2] + torch.rand(n, 2) * 8 + 1
    s = torch.rand(n)
    keep = nms(b, s, threshold)
    ref = nms_recursive([(s[i].item(), i, b[i].tolist()) for i in range(n)], threshold)
    assert keep == ref, "vectorised greedy NMS equals the recursive definition"
    kept = torch.zeros(n, dtype=torch.bool); kept[keep] = True
    iou = box_iou(b, b).fill_diagonal_(0)
    assert (iou[kept][:, kept] <= threshold).all(), "no two kept boxes overlap too much"
    beaten = (iou[~kept][:, kept] > threshold) & (s[kept] > s[~kept, None])
    assert beaten.any(1).all(), "each dropped box overlaps a kept, higher-scored box"
print(f"60 random sets of {n} boxes at thresholds 0.3, 0.5, 0.7: NMS == recursive")

# %% Two overlapping objects: hard NMS drops one, soft-NMS only lowers its score
truth = torch.tensor([[10.0, 10, 40, 50], [14, 12, 44, 52], [60, 20, 90, 45]])
print(f"IoU of the two overlapping objects: {box_iou(truth[:1], truth[1:2])[0, 0]:.2f}")
g = torch.Generator().manual_seed(3)  # six noisy detections per object
dets = truth.repeat_interleave(6, 0) + torch.randn(18, 4, generator=g) * 2
scores = torch.rand(18, generator=g) * 0.5 + 0.4
keep = nms(dets, scores, 0.5)

def found(kept, score):  # one detection per object, best first, as mAP counts them
    free = torch.ones(len(truth), dtype=torch.bool)
    for i in sorted(kept, key=lambda i: -score[i]):
        iou = box_iou(dets[i:i + 1], truth)[0] * free
        free[iou.argmax()] &= iou.max() < 0.5  # the best free object is found
    return (~free).tolist()

print(f"hard NMS at 0.5 keeps {len(keep)} of 18 boxes; "
      f"objects found: {found(keep, scores)}")

s, alive, soft = scores.clone(), torch.ones(18, dtype=torch.bool), []
for _ in range(18):  # Gaussian soft-NMS, sigma = 0.5: decay instead of delete
    i = torch.where(alive, s, -1.0).argmax().item()
    soft.append(i); alive[i] = False
    s = s * torch.exp(-box_iou(dets[i:i + 1], dets)[0] ** 2 / 0.5) * alive + s * ~alive
top = [i for i in soft if s[i] > 0.2]  # a score threshold after rescoring
print(f"soft-NMS (sigma 0.5) keeps {len(top)} boxes with rescored score > 0.2; "
      f"objects found: {found(top, s)}")
assert sum(found(keep, scores)) == 2 and all(found(top, s)), (
    "hard NMS loses one of the two overlapping objects; soft-NMS keeps both"
)

fig, axes = plt.subplots(1, 3, figsize=(10, 3.2), sharey=True, label=(
    "Three panels with the same three objects (dashed). Left: 18 noisy detections, "
    "six per object. Middle: after greedy NMS at IoU 0.5, one box each for the "
    "separate object and for the first of the two overlapping objects; the second "
    "is gone. Right: after soft-NMS and a score threshold, four boxes that "
    "include one on each of the three objects"))
for ax, shown, title in zip(axes, [range(18), keep, top],
                            ["all detections", "greedy NMS, IoU 0.5", "soft-NMS"]):
    for t in truth:
        ax.add_patch(patches.Rectangle(t[:2], *(t[2:] - t[:2]), fill=False, ls="--"))
    for i in shown:
        d = dets[i]
        ax.add_patch(patches.Rectangle(d[:2], *(d[2:] - d[:2]), fill=False,
                                       color=f"C{i // 6 + 1}", alpha=scores[i].item()))
    ax.set(title=title, xlim=(0, 100), ylim=(65, 0), aspect="equal",
           xticks=[], yticks=[])
fig.tight_layout()
