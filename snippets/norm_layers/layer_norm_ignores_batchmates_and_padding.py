# %% A padded batch of token sequences, as a transformer sees it: (batch, length, d)
import torch
from torch import nn

torch.manual_seed(0)
d, lengths = 8, [5, 3, 2]
seqs = [torch.randn(n, d) * 3 + 1 for n in lengths]  # three sentences
batch = torch.zeros(len(seqs), max(lengths), d)  # zero padding to length 5
for i, s in enumerate(seqs):
    batch[i, : len(s)] = s

ln = nn.LayerNorm(d)  # one mean and variance per token, over its d features
bn = nn.BatchNorm1d(d).train()  # one per feature, over every token in the batch
bn_tokens = lambda x: bn(x.transpose(1, 2)).transpose(1, 2)  # (B, L, d) -> (B, d, L)

short = seqs[1]  # sentence 1, alone and unpadded, vs inside the padded batch
ln_gap = (ln(batch)[1, :3] - ln(short[None])[0]).abs().max()
bn_gap = (bn_tokens(batch)[1, :3] - bn_tokens(short[None])[0]).abs().max()
print(f"sentence 1 alone vs in the padded batch: LayerNorm differs by {ln_gap:.1e}, "
      f"BatchNorm by {bn_gap:.2f}")
assert ln_gap < 1e-6, "LayerNorm: a token's output ignores batchmates and padding"
assert bn_gap > 0.1, "BatchNorm: it depends on them"

pad_garbage = batch.clone()
pad_garbage[1, 3:] = 100.0  # change only the padding positions of sentence 1
ln_pad = (ln(pad_garbage)[0] - ln(batch)[0]).abs().max()
bn_pad = (bn_tokens(pad_garbage)[0] - bn_tokens(batch)[0]).abs().max()
print(f"change the padding of sentence 1: sentence 0 moves by {ln_pad:.1e} (LN), "
      f"{bn_pad:.2f} (BN)")
assert ln_pad < 1e-6 and bn_pad > 0.1, "padding leaks into BN's statistics, not LN's"

# %% The same image in batches of different sizes: only BN's output changes
torch.manual_seed(0)
pool = torch.randn(64, 6, 8, 8) * 2 + 1
image = pool[:1]
layers = {"BatchNorm2d": nn.BatchNorm2d(6).train(), "LayerNorm": nn.LayerNorm(
    [6, 8, 8]), "GroupNorm": nn.GroupNorm(3, 6), "InstanceNorm2d": nn.InstanceNorm2d(6)}
sizes = (1, 2, 4, 16)
reference = {name: layer(pool)[:1] for name, layer in layers.items()}  # batch of 64
print("largest change in image 0's output, against its output in a batch of 64")
print(f"{'batch size':15s}" + "".join(f"{b:>8d}" for b in sizes))
for name, layer in layers.items():
    gaps = [(layer(pool[:b])[:1] - reference[name]).abs().max().item()
            for b in sizes]
    print(f"{name:15s}" + "".join(f"{g:8.3f}" for g in gaps))
    if name == "BatchNorm2d":
        assert min(gaps) > 0.05, "BN: image 0's output depends on the batch"
    else:
        assert max(gaps) < 1e-5, f"{name}: image 0's output ignores the batch"
