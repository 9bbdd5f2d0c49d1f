"""An independent Qwen2 forward pass in NumPy (float64), written from the structure of Hugging Face's
modeling_qwen2: reads a checkpoint directory as transformers would and prints the logits of the given
token ids as JSON. Usage: qwen2_reference.py CHECKPOINT_DIR 5,9,13"""
import json
import struct
import sys

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        header_length = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(header_length))
        data = f.read()
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        begin, end = spec["data_offsets"]
        raw = data[begin:end]
        if spec["dtype"] == "F32":
            values = np.frombuffer(raw, "<f4")
        elif spec["dtype"] == "BF16":
            values = (np.frombuffer(raw, "<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            raise SystemExit("unsupported dtype " + spec["dtype"])
        tensors[name] = values.reshape(spec["shape"]).astype(np.float64)
    return tensors


def rotary(config, dim, length):
    """Inverse frequencies and the factor on cos and sin, for rope_scaling none, linear, dynamic or yarn
    (written from the formulas of RoPE, position interpolation, dynamic NTK and the YaRN paper)."""
    theta = config["rope_theta"]
    exponents = np.arange(0, dim, 2) / dim
    inv_freq = theta ** -exponents
    scaling = config.get("rope_scaling")
    if not scaling:
        return inv_freq, 1.0
    kind = scaling.get("rope_type", scaling.get("type"))
    context = config["max_position_embeddings"]
    if kind == "linear":
        return inv_freq / scaling["factor"], 1.0
    if kind == "dynamic":
        factor, longest = scaling["factor"], max(length, context)
        base = theta * (factor * longest / context - (factor - 1)) ** (dim / (dim - 2))
        return base ** -exponents, 1.0
    if kind == "yarn":
        trained = scaling.get("original_max_position_embeddings") or context
        factor = scaling.get("factor") or context / trained
        fast, slow = scaling.get("beta_fast") or 32, scaling.get("beta_slow") or 1
        # The pair index that completes r turns over the trained context.
        def pair_of(turns):
            return dim * np.log(trained / (2 * np.pi * turns)) / (2 * np.log(theta))
        low, high = pair_of(fast), pair_of(slow)
        if scaling.get("truncate", True):
            low, high = np.floor(low), np.ceil(high)
        low, high = max(low, 0), min(high, dim - 1)
        if low == high:
            high += 0.001
        interpolated = np.clip((np.arange(dim // 2) - low) / (high - low), 0, 1)
        frequencies = inv_freq * (1 - interpolated) + inv_freq / factor * interpolated
        attention = scaling.get("attention_factor")
        if attention is None:
            attention = 1.0 if factor <= 1 else 0.1 * np.log(factor) + 1
        return frequencies, attention
    raise SystemExit("unknown rope scaling " + str(kind))


def main(directory, ids):
    config = json.load(open(directory + "/config.json"))
    w = read_safetensors(directory + "/model.safetensors")
    hidden, heads, kv_heads = config["hidden_size"], config["num_attention_heads"], config["num_key_value_heads"]
    head_dim = hidden // heads
    length = len(ids)
    eps = config["rms_norm_eps"]

    def rms_norm(x, weight):
        return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * weight

    def rotate_half(x):
        half = x.shape[-1] // 2
        return np.concatenate([-x[..., half:], x[..., :half]], -1)

    inv_freq, scale = rotary(config, head_dim, length)
    angles = np.outer(np.arange(length), inv_freq)
    emb = np.concatenate([angles, angles], -1)
    cos, sin = np.cos(emb) * scale, np.sin(emb) * scale
    causal = np.triu(np.full((length, length), -np.inf), 1)

    x = w["model.embed_tokens.weight"][ids]
    for i in range(config["num_hidden_layers"]):
        p = "model.layers.%d." % i
        h = rms_norm(x, w[p + "input_layernorm.weight"])
        q = h @ w[p + "self_attn.q_proj.weight"].T + w[p + "self_attn.q_proj.bias"]
        k = h @ w[p + "self_attn.k_proj.weight"].T + w[p + "self_attn.k_proj.bias"]
        v = h @ w[p + "self_attn.v_proj.weight"].T + w[p + "self_attn.v_proj.bias"]
        q = q.reshape(length, heads, head_dim).transpose(1, 0, 2)
        k = k.reshape(length, kv_heads, head_dim).transpose(1, 0, 2)
        v = v.reshape(length, kv_heads, head_dim).transpose(1, 0, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = np.repeat(k, heads // kv_heads, axis=0)
        v = np.repeat(v, heads // kv_heads, axis=0)
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(head_dim) + causal
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        attended = (scores @ v).transpose(1, 0, 2).reshape(length, hidden)
        x = x + attended @ w[p + "self_attn.o_proj.weight"].T
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"])
        gate = h @ w[p + "mlp.gate_proj.weight"].T
        up = h @ w[p + "mlp.up_proj.weight"].T
        x = x + (gate / (1 + np.exp(-gate)) * up) @ w[p + "mlp.down_proj.weight"].T
    x = rms_norm(x, w["model.norm.weight"])
    head = w["model.embed_tokens.weight"] if config["tie_word_embeddings"] else w["lm_head.weight"]
    print(json.dumps((x @ head.T).tolist()))


if __name__ == "__main__":
    main(sys.argv[1], [int(t) for t in sys.argv[2].split(",")])
