"""Writes tiny random Qwen3, Phi-3, Gemma 2 and Gemma 3 (text) checkpoints, PEFT adapters for them and what
transformers and PEFT compute for them, beside make_reference.py's Llama-family ones in
src/main/engine/models/__fixtures__/reference/ (committed; the engine's parity tests read them, CI needs no torch).
The weight names and shapes are those of transformers' own model built from each config (AutoModelForCausalLM
.from_config), filled with seeded random values that make every feature matter (norm weights away from their
identity, small soft-capping limits, query_pre_attn_scalar unlike head_dim, windows the prompts cross).

    python3 tools/reference/make_arch_reference.py [--out DIR]   # a Python with torch, transformers 5.18, PEFT 0.21
Deterministic: the same torch version writes the same bytes.
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import torch

sys.dont_write_bytecode = True
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools/reference"))
from hf_reference import greedy, left_padded, load_model, logits as reference_logits  # noqa: E402
from make_model_fixtures import write_json, write_safetensors  # noqa: E402
from make_reference import random_lora  # noqa: E402
from tiny_tokenizer import make_tokenizer  # noqa: E402
from transformers import AutoConfig, AutoModelForCausalLM  # noqa: E402

OUT = ROOT / "src/main/engine/models/__fixtures__/reference"
VOCAB = 384
NEW_TOKENS = 8
KEEP = 3
N_VIRTUAL = 3
SEPARATE = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
FUSED = ["qkv_proj", "o_proj", "gate_up_proj", "down_proj"]


def common(arch: str, model_type: str, **extra) -> dict:
    cfg = {
        "architectures": [arch], "model_type": model_type, "hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 2,
        "num_attention_heads": 4, "num_key_value_heads": 2, "max_position_embeddings": 64, "vocab_size": VOCAB,
        "bos_token_id": 1, "eos_token_id": 2, "torch_dtype": "float32", "use_cache": True,
    }
    cfg.update(extra)
    return cfg


MODELS = {
    # Qwen3: q/k norms over head_dim, explicit head_dim (H*D = 64 != C = 32), tied embeddings, theta 1e6.
    "qwen3": common("Qwen3ForCausalLM", "qwen3", head_dim=16, hidden_act="silu", rms_norm_eps=1e-6, rope_theta=1000000.0,
                    tie_word_embeddings=True, attention_bias=False, use_sliding_window=False, sliding_window=None,
                    max_window_layers=2),
    # Phi-3.5 style: fused qkv_proj and gate_up_proj, longrope (original context 6, so every case runs the long
    # factors; "short" cases stay below it), sliding window over every layer wider than the prompts, untied.
    "phi3": common("Phi3ForCausalLM", "phi3", hidden_act="silu", rms_norm_eps=1e-5, rope_theta=10000.0, tie_word_embeddings=False,
                   original_max_position_embeddings=6, sliding_window=48, pad_token_id=0,
                   rope_scaling={"type": "longrope", "short_factor": [1.0, 1.3, 2.1, 3.0], "long_factor": [1.5, 2.6, 5.5, 9.0]}),
    # Gemma 2: GeGLU, sqrt(C) embedding scale, sandwich norms with (1 + w), soft-capped scores and logits (small caps,
    # so they bite), query_pre_attn_scalar 24 != head_dim 16, layer 0 sliding (window 4), layer 1 global.
    "gemma2": common("Gemma2ForCausalLM", "gemma2", head_dim=16, hidden_activation="gelu_pytorch_tanh", hidden_act="gelu_pytorch_tanh",
                     rms_norm_eps=1e-6, rope_theta=10000.0, tie_word_embeddings=True, query_pre_attn_scalar=24,
                     attn_logit_softcapping=1.5, final_logit_softcapping=4.0, sliding_window=4, pad_token_id=0),
    # Gemma 3 text: q/k norms with (1 + w), local base 10,000 on the sliding layer and global 1e6 with linear scaling
    # on the other (sliding_window_pattern 2), no soft-capping, query_pre_attn_scalar 20.
    "gemma3": common("Gemma3ForCausalLM", "gemma3_text", head_dim=16, hidden_activation="gelu_pytorch_tanh", rms_norm_eps=1e-6,
                     rope_theta=1000000.0, rope_local_base_freq=10000.0, rope_scaling={"rope_type": "linear", "factor": 2.0},
                     tie_word_embeddings=True, query_pre_attn_scalar=20, attn_logit_softcapping=None,
                     final_logit_softcapping=None, sliding_window=4, sliding_window_pattern=2, pad_token_id=0),
}
LORAS = {  # r, lora_alpha, use_rslora, target_modules (PEFT's names for each architecture)
    "qwen3": (4, 8, False, SEPARATE),
    "phi3": (4, 8, True, FUSED),
    "gemma2": (2, 4, False, SEPARATE),
    "gemma3": (3, 6, False, ["q_proj", "v_proj", "down_proj"]),
}


def random_weights(cfg: dict, seed: int) -> dict[str, torch.Tensor]:
    """transformers' parameter names and shapes for cfg, filled from a seeded generator in sorted-name order."""
    model = AutoModelForCausalLM.from_config(AutoConfig.for_model(**cfg), dtype=torch.float32)
    g = torch.Generator().manual_seed(seed)
    gemma = cfg["model_type"].startswith("gemma")
    w = {}
    for name, p in sorted(model.state_dict().items()):
        if name == "lm_head.weight" and cfg["tie_word_embeddings"]:
            continue
        if name.endswith("norm.weight"):  # Gemma stores offsets from 1, the others the scale itself
            w[name] = (0.0 if gemma else 1.0) + 0.1 * torch.randn(p.shape, generator=g)
        elif name.endswith("embed_tokens.weight"):
            w[name] = torch.randn(p.shape, generator=g)
        else:
            w[name] = torch.randn(p.shape, generator=g) / math.sqrt(p.shape[-1])
    return w


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=OUT, help="the fixture folder (default: the committed one)")
    out_root = ap.parse_args().out
    torch.manual_seed(0)
    tok_json, tok_config, _ = make_tokenizer()
    pad = next(t["id"] for t in tok_json["added_tokens"] if t["content"] == "<|pad|>")
    n_ids = min(t["id"] for t in tok_json["added_tokens"])
    g = torch.Generator().manual_seed(11)
    prompt = lambda n: torch.randint(0, n_ids, (n,), generator=g).tolist()  # noqa: E731
    batches = {"b1": [prompt(7)], "b3": [prompt(7), prompt(4), prompt(9)]}
    short = {"s1": [prompt(4)]}  # Phi-3: positions 0..4, below original_max_position_embeddings (short factors)
    total = 0
    for k, (name, cfg) in enumerate(MODELS.items()):
        w = random_weights(cfg, seed=300 + k)
        folder = out_root / name
        (folder / "lora").mkdir(parents=True, exist_ok=True)
        (folder / "soft-prompt").mkdir(parents=True, exist_ok=True)
        write_json(folder / "config.json", cfg)
        write_json(folder / "tokenizer.json", tok_json, compact=True)
        write_json(folder / "tokenizer_config.json", tok_config)
        write_safetensors(folder / "model.safetensors", w)
        r, alpha, rslora, targets = LORAS[name]
        write_safetensors(folder / "lora/adapter_model.safetensors", random_lora(cfg, w, r, targets, seed=400 + k))
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
        runs = dict(batches, **(short if name == "phi3" else {}))
        for batch_name, prompts in runs.items():
            ids, mask = left_padded(prompts, pad)
            variants = {"base": (False, None), "lora": (True, None), "soft": (False, soft), "lora-soft": (True, soft)}
            if batch_name == "s1":  # one token only: a longer continuation would cross into the long factors
                variants = {"base": (False, None), "lora": (True, None)}
            for variant, (lo, sp) in variants.items():
                n = 0 if sp is None else sp.shape[0]
                with torch.no_grad():
                    logits = reference_logits(models[lo], ids, mask, sp)  # [B, n+T, V]
                tokens = greedy(models[lo], prompts, pad, sp, 1 if batch_name == "s1" else NEW_TOKENS)
                kept = [[n + ids.shape[1] - KEEP + j for j in range(KEEP)] for _ in prompts]
                case = f"{batch_name}-{variant}"
                logits_out[case] = torch.stack([logits[b, kept[b]] for b in range(len(prompts))]).contiguous()
                cases.append({"name": case, "prompts": prompts, "lora": lo, "soft_prompt": sp is not None, "positions": kept, "greedy": tokens})
        write_safetensors(folder / "expected.safetensors", logits_out)
        write_json(folder / "expected.json", {
            "about": "Reference of tools/reference/make_arch_reference.py: per case, prompts (left-padded with pad_token_id), the padded "
                     "positions whose logits expected.safetensors holds ([rows, KEEP, V] under the case name), greedy continuations.",
            "torch": torch.__version__, "pad_token_id": pad, "lora_scaling": alpha / math.sqrt(r) if rslora else alpha / r,
            "new_tokens": NEW_TOKENS, "cases": cases,
        }, compact=True)
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        total += size
        print(f"{name}: {size} bytes")
    print(f"wrote {out_root}: {total} bytes, torch {torch.__version__}")


if __name__ == "__main__":
    main()
