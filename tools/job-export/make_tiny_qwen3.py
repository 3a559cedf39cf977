"""A tiny random Qwen3 checkpoint (real architecture, q/k norms, explicit head_dim) that shares the demo model's
tokenizer, so the demo's data and template train on it: the second base of the GPU proof in docs/job-export.md.

  python tools/job-export/make_tiny_qwen3.py OUT_DIR
"""
import shutil
import sys
from pathlib import Path

import torch
from transformers import Qwen3Config, Qwen3ForCausalLM

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources/models/dovetail-wordnet-13m"


def main(out: Path) -> None:
    torch.manual_seed(0)
    config = Qwen3Config(
        vocab_size=8192,
        hidden_size=128,
        intermediate_size=384,
        num_hidden_layers=4,
        num_attention_heads=4,
        num_key_value_heads=2,
        head_dim=32,
        max_position_embeddings=512,
        rope_theta=1_000_000.0,
        rms_norm_eps=1e-6,
        tie_word_embeddings=True,
        eos_token_id=2,
        pad_token_id=0,
        bos_token_id=None,
    )
    model = Qwen3ForCausalLM(config).to(torch.float32)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out, safe_serialization=True)
    for name in ("tokenizer.json", "tokenizer_config.json", "generation_config.json"):
        shutil.copy(DEMO / name, out / name)
    print(f"wrote {out} ({sum(p.numel() for p in model.parameters())} parameters)")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
