# %% A decoder with a KV cache, written out, against a full causal forward pass
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
V, d, h, d_ff, L, max_len = 48, 32, 4, 64, 2, 512  # vocab, width, heads, FFN, layers
dh = d // h
emb, pos = nn.Embedding(V, d), nn.Embedding(max_len, d)  # tokens, learned positions
layers = [nn.TransformerEncoderLayer(d, h, d_ff, dropout=0.0, batch_first=True,
                                     norm_first=True).eval() for _ in range(L)]
norm_f, head = nn.LayerNorm(d), nn.Linear(d, V, bias=False)


def full_forward(tokens):  # the reference: every position at once, causal mask
    n = tokens.shape[1]
    x = emb(tokens) + pos(torch.arange(n))
    mask = nn.Transformer.generate_square_subsequent_mask(n)
    for layer in layers:
        x = layer(x, src_mask=mask, is_causal=True)
    return head(norm_f(x))


def new_cache(B):
    return [{"k": torch.zeros(B, h, 0, dh), "v": torch.zeros(B, h, 0, dh)}
            for _ in range(L)]


def cached_forward(tokens, cache):  # m new tokens; reads and extends the cache
    B, m = tokens.shape
    start = cache[0]["k"].shape[2]  # tokens already cached = position of the first
    x = emb(tokens) + pos(torch.arange(start, start + m))
    for layer, kv in zip(layers, cache):
        a = layer.self_attn
        qkv = F.linear(layer.norm1(x), a.in_proj_weight, a.in_proj_bias)
        q, k, v = qkv.view(B, m, 3, h, dh).permute(2, 0, 3, 1, 4)  # (B, h, m, dh)
        kv["k"], kv["v"] = torch.cat([kv["k"], k], 2), torch.cat([kv["v"], v], 2)
        S = kv["k"].shape[2]  # keys: all cached tokens plus the m new ones
        allowed = torch.ones(m, S, dtype=torch.bool).tril(S - m)  # new i sees <= i
        scores = q @ kv["k"].transpose(-2, -1) / dh**0.5
        w = scores.masked_fill(~allowed, float("-inf")).softmax(-1)
        x = x + a.out_proj((w @ kv["v"]).transpose(1, 2).reshape(B, m, d))
        x = x + layer.linear2(F.relu(layer.linear1(layer.norm2(x))))
    return head(norm_f(x[:, -1]))  # logits for the next token only


B, prompt_len, n_new = 2, 5, 11
prompt = torch.randint(V, (B, prompt_len))
with torch.no_grad():
    cache, tokens = new_cache(B), prompt
    logits = [cached_forward(prompt, cache)]  # prefill: the prompt in one pass
    for _ in range(n_new):  # decode: one token per step, attending to the cache
        tokens = torch.cat([tokens, logits[-1].argmax(-1, keepdim=True)], 1)
        logits.append(cached_forward(tokens[:, -1:], cache))
    ref_tokens = prompt  # greedy decoding without a cache: rerun everything
    for _ in range(n_new):
        nxt = full_forward(ref_tokens)[:, -1].argmax(-1, keepdim=True)
        ref_tokens = torch.cat([ref_tokens, nxt], 1)
    ref_logits = full_forward(tokens)[:, prompt_len - 1:]
gap = (torch.stack(logits, 1) - ref_logits).abs().max()
print(f"generated {n_new} tokens per sequence; max |cached - full forward| "
      f"logits: {gap:.1e}")
assert torch.allclose(torch.stack(logits, 1), ref_logits, atol=1e-10), (
    "token-by-token decoding with a KV cache == one full causal forward pass")
assert torch.equal(tokens, ref_tokens), "same greedy tokens with and without a cache"
n_bytes = sum(kv["k"].nbytes + kv["v"].nbytes for kv in cache)
T = tokens.shape[1]
assert n_bytes == 2 * L * h * dh * T * B * 8, "2 x layers x heads x dh x T x B x bytes"
print(f"cache after {T} tokens: {n_bytes:,} bytes = 2 x {L} layers x {h} heads x "
      f"{dh} x {T} tokens x {B} sequences x 8 bytes (float64)")

# worked example: Mistral 7B's configuration (Jiang et al., 2023, Table 1), bf16
n_layers, n_kv, head_dim, ctx, window, bf16 = 32, 8, 128, 8192, 4096, 2
per_token = 2 * n_layers * n_kv * head_dim * bf16
d_m, h_m, ff_m, V_m = 4096, 32, 14336, 32000  # width, query heads, FFN, vocabulary
attn = 2 * d_m * h_m * head_dim + 2 * d_m * n_kv * head_dim  # W_q, W_o; W_k, W_v
params = n_layers * (attn + 3 * d_m * ff_m + 2 * d_m) + 2 * V_m * d_m + d_m  # untied
print(f"Mistral 7B shape: {per_token // 2**10} KiB per token; every position of "
      f"{ctx:,} tokens: {per_token * ctx / 2**30:.2f} GiB, batch 16: "
      f"{16 * per_token * ctx / 2**30:.0f} GiB")
print(f"rolling buffer of {window:,}: {per_token * window / 2**30:.2f} GiB, batch 16: "
      f"{16 * per_token * window / 2**30:.0f} GiB; weights {params / 1e9:.2f}e9 "
      f"x 2 bytes: {params * 2 / 2**30:.1f} GiB")
