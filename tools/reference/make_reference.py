"""Writes tiny random Llama-family checkpoints, PEFT adapters for them, and what a PyTorch reference computes, into
src/main/engine/models/__fixtures__/reference/ (committed; the engine's parity tests read them and CI needs no torch).

Run with Debian's torch (not the pyenv python3 on PATH):
    apt-get install -y python3-torch libopenblas0-pthread python3-regex python3-jinja2
    /usr/bin/python3 tools/reference/make_reference.py
transformers and PEFT are not installed here, so the forward below follows transformers' modeling_llama /
modeling_qwen2 / modeling_mistral line by line (eager attention: RMSNorm in fp32, rotate_half RoPE, repeat_kv GQA,
causal + padding mask with dtype-min, sliding window), LoRA follows peft.tuners.lora.Linear.forward
(result + lora_B(lora_A(dropout(x))) * scaling, scaling = lora_alpha / r or / sqrt(r) with use_rslora), and the soft
prompt is prepended as PeftModelForCausalLM does for PROMPT_TUNING (virtual tokens first, always attended).
Positions: virtual tokens take 0..n-1 and each row's real tokens n + cumsum(attention_mask) - 1, as transformers'
generate() counts them for a left-padded batch (PEFT itself drops position_ids; for an unpadded row the two agree).
Deterministic: the same torch version writes the same bytes.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import torch

sys.dont_write_bytecode = True
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools/reference"))
from make_model_fixtures import rope_inv_freq, write_json, write_safetensors  # noqa: E402
from tiny_tokenizer import make_tokenizer  # noqa: E402

OUT = ROOT / "src/main/engine/models/__fixtures__/reference"
MODULES = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
MLP = {"gate_proj", "up_proj", "down_proj"}
VOCAB = 384
NEW_TOKENS = 8
KEEP = 3  # logits kept per row: the last KEEP real positions of the prompt


def base_config(arch: str, model_type: str, **extra) -> dict:
    cfg = {
        "architectures": [arch], "model_type": model_type, "hidden_act": "silu", "hidden_size": 32, "intermediate_size": 48,
        "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "rms_norm_eps": 1e-5,
        "rope_theta": 10000.0, "max_position_embeddings": 64, "tie_word_embeddings": False, "vocab_size": VOCAB,
        "torch_dtype": "float32", "transformers_version": "4.46.0", "use_cache": True,
    }
    cfg.update(extra)
    return cfg


MODELS = {
    # Llama 3.2 style: llama3 rope scaling, explicit head_dim (H*D != C), untied lm_head, GQA 2.
    "llama": base_config("LlamaForCausalLM", "llama", head_dim=16, attention_bias=False, mlp_bias=False,
                         rope_scaling={"rope_type": "llama3", "factor": 4.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 16}),
    # Qwen2.5 style: q/k/v bias, tied embeddings, GQA 4 (one kv head), theta 1e6.
    "qwen2": base_config("Qwen2ForCausalLM", "qwen2", num_key_value_heads=1, rms_norm_eps=1e-6, rope_theta=1000000.0, tie_word_embeddings=True,
                         sliding_window=4096, use_sliding_window=False, max_window_layers=2),
    # Mistral style: sliding-window attention (a window of 4, so the tests cross it).
    "mistral": base_config("MistralForCausalLM", "mistral", sliding_window=4),
}
LORAS = {  # r, lora_alpha, use_rslora, target_modules
    "llama": (4, 8, False, MODULES),
    "qwen2": (2, 4, True, ["q_proj", "v_proj"]),
    "mistral": (3, 6, False, ["o_proj", "gate_proj", "up_proj", "down_proj"]),
}
N_VIRTUAL = 3


def random_weights(cfg: dict, seed: int) -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    C, I, V = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    H, KV = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    D = cfg.get("head_dim") or C // H
    linear = lambda o, i: torch.randn(o, i, generator=g) / math.sqrt(i)  # noqa: E731
    norm = lambda: 1 + 0.1 * torch.randn(C, generator=g)  # noqa: E731
    w = {"model.embed_tokens.weight": torch.randn(V, C, generator=g)}
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}"
        w[f"{p}.input_layernorm.weight"] = norm()
        w[f"{p}.self_attn.q_proj.weight"] = linear(H * D, C)
        w[f"{p}.self_attn.k_proj.weight"] = linear(KV * D, C)
        w[f"{p}.self_attn.v_proj.weight"] = linear(KV * D, C)
        w[f"{p}.self_attn.o_proj.weight"] = linear(C, H * D)
        if cfg["model_type"] == "qwen2":
            for m, n in (("q_proj", H * D), ("k_proj", KV * D), ("v_proj", KV * D)):
                w[f"{p}.self_attn.{m}.bias"] = 0.1 * torch.randn(n, generator=g)
        w[f"{p}.post_attention_layernorm.weight"] = norm()
        w[f"{p}.mlp.gate_proj.weight"] = linear(I, C)
        w[f"{p}.mlp.up_proj.weight"] = linear(I, C)
        w[f"{p}.mlp.down_proj.weight"] = linear(C, I)
    w["model.norm.weight"] = norm()
    if not cfg["tie_word_embeddings"]:
        w["lm_head.weight"] = linear(V, C)
    return w


def peft_key(layer: int, module: str, part: str) -> str:
    return f"base_model.model.model.layers.{layer}.{'mlp' if module in MLP else 'self_attn'}.{module}.lora_{part}.weight"


def random_lora(cfg: dict, w: dict, r: int, targets: list[str], seed: int) -> dict[str, torch.Tensor]:
    """A as PEFT initialises it (kaiming_uniform a=sqrt(5)); B random too (PEFT's zeros would change nothing)."""
    g = torch.Generator().manual_seed(seed)
    out = {}
    for i in range(cfg["num_hidden_layers"]):
        for m in targets:
            weight = w[f"model.layers.{i}.{'mlp' if m in MLP else 'self_attn'}.{m}.weight"]  # [out, in]
            bound = 1 / math.sqrt(weight.shape[1])
            out[peft_key(i, m, "A")] = (torch.rand(r, weight.shape[1], generator=g) * 2 - 1) * bound  # [r, in]
            out[peft_key(i, m, "B")] = 0.3 * torch.randn(weight.shape[0], r, generator=g)  # [out, r]
    return out


# --------------------------------------------------------------------------------------------------------------------
# The reference forward (transformers' eager path, float32)


def rms_norm(x: torch.Tensor, weight: torch.Tensor, eps: float) -> torch.Tensor:
    input_dtype = x.dtype
    x = x.to(torch.float32)
    variance = x.pow(2).mean(-1, keepdim=True)
    x = x * torch.rsqrt(variance + eps)
    return weight * x.to(input_dtype)


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2 :]
    return torch.cat((-x2, x1), dim=-1)


def forward(cfg: dict, w: dict, ids: torch.Tensor, mask: torch.Tensor, lora: dict | None, scaling: float, soft: torch.Tensor | None) -> torch.Tensor:
    """ids, mask [B, T] (left padding) -> logits [B, n + T, V]."""
    B, T = ids.shape
    C, H, KV = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    D = cfg.get("head_dim") or C // H
    eps = cfg["rms_norm_eps"]
    x = torch.nn.functional.embedding(ids, w["model.embed_tokens.weight"].float())  # [B, T, C]
    positions = mask.long().cumsum(-1) - 1
    positions = positions.masked_fill(mask == 0, 1)
    n = 0
    if soft is not None:  # PeftModelForCausalLM, PROMPT_TUNING: cat((prompts, inputs_embeds), dim=1), mask of ones
        n = soft.shape[0]
        x = torch.cat((soft[None].expand(B, -1, -1), x), dim=1)
        mask = torch.cat((torch.ones(B, n, dtype=mask.dtype), mask), dim=1)
        positions = torch.cat((torch.arange(n)[None].expand(B, -1), positions + n), dim=1)
    S = x.shape[1]
    inv_freq = rope_inv_freq(D, cfg["rope_theta"], cfg.get("rope_scaling"))
    freqs = (inv_freq[None, :, None].float().expand(B, -1, 1) @ positions[:, None, :].float()).transpose(1, 2)
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos()[:, None], emb.sin()[:, None]  # [B, 1, S, D]
    q_idx, kv_idx = torch.arange(S)[:, None], torch.arange(S)[None, :]
    allowed = (kv_idx <= q_idx)[None] & mask.bool()[:, None, :]  # [B, S, S]
    if cfg["model_type"] == "mistral":
        allowed = allowed & (kv_idx > q_idx - cfg["sliding_window"])[None]
    bias = torch.zeros(B, 1, S, S).masked_fill(~allowed[:, None], torch.finfo(torch.float32).min)

    def linear(h: torch.Tensor, layer: int, module: str) -> torch.Tensor:
        prefix = f"model.layers.{layer}.{'mlp' if module in MLP else 'self_attn'}.{module}"
        y = h @ w[f"{prefix}.weight"].float().T
        if f"{prefix}.bias" in w:
            y = y + w[f"{prefix}.bias"].float()
        if lora is not None and peft_key(layer, module, "A") in lora:
            y = y + (h @ lora[peft_key(layer, module, "A")].T) @ lora[peft_key(layer, module, "B")].T * scaling
        return y

    for i in range(cfg["num_hidden_layers"]):
        residual = x
        h = rms_norm(x, w[f"model.layers.{i}.input_layernorm.weight"].float(), eps)
        q = linear(h, i, "q_proj").view(B, S, H, D).transpose(1, 2)
        k = linear(h, i, "k_proj").view(B, S, KV, D).transpose(1, 2)
        v = linear(h, i, "v_proj").view(B, S, KV, D).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        k = k[:, :, None].expand(B, KV, H // KV, S, D).reshape(B, H, S, D)  # repeat_kv
        v = v[:, :, None].expand(B, KV, H // KV, S, D).reshape(B, H, S, D)
        scores = torch.matmul(q, k.transpose(2, 3)) * D**-0.5 + bias
        probs = torch.nn.functional.softmax(scores, dim=-1, dtype=torch.float32)
        attn = torch.matmul(probs, v).transpose(1, 2).reshape(B, S, H * D)
        x = residual + linear(attn, i, "o_proj")
        h = rms_norm(x, w[f"model.layers.{i}.post_attention_layernorm.weight"].float(), eps)
        gate = linear(h, i, "gate_proj")
        x = x + linear(torch.nn.functional.silu(gate) * linear(h, i, "up_proj"), i, "down_proj")
    x = rms_norm(x, w["model.norm.weight"].float(), eps)
    head = w["model.embed_tokens.weight"] if cfg["tie_word_embeddings"] else w["lm_head.weight"]
    return x @ head.float().T


def greedy(cfg: dict, w: dict, prompts: list[list[int]], pad: int, lora, scaling, soft) -> tuple[torch.Tensor, list[list[int]], list[list[int]]]:
    """Left-pads, returns (logits of the padded prompt [B, n+T, V], kept positions per row, NEW_TOKENS greedy ids per row),
    recomputing the whole sequence every step (no cache), so cached decoding in the engine is checked against it."""
    T = max(len(p) for p in prompts)
    ids = torch.tensor([[pad] * (T - len(p)) + p for p in prompts])
    mask = torch.tensor([[0] * (T - len(p)) + [1] * len(p) for p in prompts])
    with torch.no_grad():
        logits = forward(cfg, w, ids, mask, lora, scaling, soft)
        out: list[list[int]] = [[] for _ in prompts]
        cur_ids, cur_mask, step_logits = ids, mask, logits
        for _ in range(NEW_TOKENS):
            nxt = step_logits[:, -1].argmax(-1)
            for b, t in enumerate(nxt.tolist()):
                out[b].append(t)
            cur_ids = torch.cat((cur_ids, nxt[:, None]), dim=1)
            cur_mask = torch.cat((cur_mask, torch.ones(len(prompts), 1, dtype=mask.dtype)), dim=1)
            step_logits = forward(cfg, w, cur_ids, cur_mask, lora, scaling, soft)
    n = 0 if soft is None else soft.shape[0]
    kept = [[n + T - KEEP + j for j in range(KEEP)] for _ in prompts]
    return logits, kept, out


def main() -> None:
    torch.manual_seed(0)
    tok_json, tok_config, _ = make_tokenizer()
    pad = next(t["id"] for t in tok_json["added_tokens"] if t["content"] == "<|pad|>")
    n_ids = min(t["id"] for t in tok_json["added_tokens"])  # ordinary ids below the special ones
    g = torch.Generator().manual_seed(11)
    prompt = lambda n: torch.randint(0, n_ids, (n,), generator=g).tolist()  # noqa: E731
    batches = {"b1": [prompt(7)], "b3": [prompt(7), prompt(4), prompt(9)]}
    total = 0
    for k, (name, cfg) in enumerate(list(MODELS.items()) + [("qwen2-bf16", dict(MODELS["qwen2"], torch_dtype="bfloat16"))]):
        base = name.split("-")[0]
        w = random_weights(MODELS[base], seed=100 + list(MODELS).index(base))
        if name.endswith("bf16"):
            w = {n: t.bfloat16() for n, t in w.items()}  # stored bf16; the forward reads them as float32
        folder = OUT / name
        (folder / "lora").mkdir(parents=True, exist_ok=True)
        (folder / "soft-prompt").mkdir(parents=True, exist_ok=True)
        write_json(folder / "config.json", cfg)
        write_json(folder / "tokenizer.json", tok_json, compact=True)
        write_json(folder / "tokenizer_config.json", tok_config)
        write_safetensors(folder / "model.safetensors", w)
        r, alpha, rslora, targets = LORAS[base]
        lora = random_lora(cfg, w, r, targets, seed=200 + k)
        scaling = alpha / math.sqrt(r) if rslora else alpha / r
        write_safetensors(folder / "lora/adapter_model.safetensors", lora)
        write_json(folder / "lora/adapter_config.json", {
            "peft_type": "LORA", "task_type": "CAUSAL_LM", "r": r, "lora_alpha": alpha, "use_rslora": rslora, "lora_dropout": 0.0,
            "target_modules": targets, "bias": "none", "fan_in_fan_out": False, "use_dora": False, "base_model_name_or_path": None,
        })
        soft = 0.5 * torch.randn(N_VIRTUAL, cfg["hidden_size"], generator=g)  # [n, C]
        write_safetensors(folder / "soft-prompt/adapter_model.safetensors", {"prompt_embeddings": soft})
        write_json(folder / "soft-prompt/adapter_config.json", {
            "peft_type": "PROMPT_TUNING", "task_type": "CAUSAL_LM", "num_virtual_tokens": N_VIRTUAL, "token_dim": cfg["hidden_size"],
            "num_transformer_submodules": 1, "prompt_tuning_init": "RANDOM", "base_model_name_or_path": None,
        })
        cases, logits_out = [], {}
        for batch_name, prompts in batches.items():
            for variant, (lo, sp) in {"base": (None, None), "lora": (lora, None), "soft": (None, soft), "lora-soft": (lora, soft)}.items():
                logits, kept, tokens = greedy(cfg, w, prompts, pad, lo, scaling, sp)
                case = f"{batch_name}-{variant}"
                logits_out[case] = torch.stack([logits[b, kept[b]] for b in range(len(prompts))]).contiguous()  # [rows, KEEP, V]
                cases.append({"name": case, "prompts": prompts, "lora": lo is not None, "soft_prompt": sp is not None, "positions": kept, "greedy": tokens})
        write_safetensors(folder / "expected.safetensors", logits_out)
        write_json(folder / "expected.json", {
            "about": "Reference of tools/reference/make_reference.py: per case, prompts (left-padded with pad_token_id), the padded "
                     "positions whose logits expected.safetensors holds ([rows, KEEP, V] under the case name), greedy continuations.",
            "torch": torch.__version__, "pad_token_id": pad, "lora_scaling": scaling, "new_tokens": NEW_TOKENS, "cases": cases,
        }, compact=True)
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        total += size
        print(f"{name}: {size} bytes")
    print(f"wrote {OUT.relative_to(ROOT)}: {total} bytes, torch {torch.__version__}")


if __name__ == "__main__":
    main()
