"""Writes tiny random Llama-family checkpoints, PEFT adapters for them, and what transformers and PEFT compute for
them, into src/main/engine/models/__fixtures__/reference/ (committed; the engine's parity tests read them and CI needs
no torch). The reference is hf_reference.py: the written folders loaded by transformers (eager, float32) and PEFT.

    python3 tools/reference/make_reference.py [--out DIR]   # a Python with torch, transformers and PEFT
Deterministic: the same torch version writes the same bytes (logits of another version differ by ~1e-5).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import torch

sys.dont_write_bytecode = True
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools/reference"))
from hf_reference import greedy, left_padded, load_model, logits as reference_logits  # noqa: E402
from make_model_fixtures import write_json, write_safetensors  # noqa: E402
from tiny_tokenizer import make_tokenizer  # noqa: E402

OUT = ROOT / "src/main/engine/models/__fixtures__/reference"
MODULES = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
MLP = {"gate_proj", "up_proj", "gate_up_proj", "down_proj"}  # gate_up_proj: Phi-3 (make_arch_reference.py)
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=OUT, help="the fixture folder (default: the committed one)")
    out_root = ap.parse_args().out
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
        folder = out_root / name
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
        models = {False: load_model(folder), True: load_model(folder, folder / "lora")}
        cases, logits_out = [], {}
        for batch_name, prompts in batches.items():
            ids, mask = left_padded(prompts, pad)
            for variant, (lo, sp) in {"base": (False, None), "lora": (True, None), "soft": (False, soft), "lora-soft": (True, soft)}.items():
                n = 0 if sp is None else sp.shape[0]
                with torch.no_grad():
                    logits = reference_logits(models[lo], ids, mask, sp)  # [B, n+T, V]
                tokens = greedy(models[lo], prompts, pad, sp, NEW_TOKENS)
                kept = [[n + ids.shape[1] - KEEP + j for j in range(KEEP)] for _ in prompts]
                case = f"{batch_name}-{variant}"
                logits_out[case] = torch.stack([logits[b, kept[b]] for b in range(len(prompts))]).contiguous()  # [rows, KEEP, V]
                cases.append({"name": case, "prompts": prompts, "lora": lo, "soft_prompt": sp is not None, "positions": kept, "greedy": tokens})
        write_safetensors(folder / "expected.safetensors", logits_out)
        write_json(folder / "expected.json", {
            "about": "Reference of tools/reference/make_reference.py: per case, prompts (left-padded with pad_token_id), the padded "
                     "positions whose logits expected.safetensors holds ([rows, KEEP, V] under the case name), greedy continuations.",
            "torch": torch.__version__, "pad_token_id": pad, "lora_scaling": scaling, "new_tokens": NEW_TOKENS, "cases": cases,
        }, compact=True)
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        total += size
        print(f"{name}: {size} bytes")
    print(f"wrote {out_root}: {total} bytes, torch {torch.__version__}")


if __name__ == "__main__":
    main()
