"""Closes the loop Dovetail-train -> PEFT files -> PyTorch: loads the LoRA that Dovetail trained and wrote
(src/main/engine/train/__fixtures__/dovetail-lora/adapter/, by tools/reference/train_dovetail_lora.ts, or any folder
given with --adapter) with PEFT onto the reference llama in transformers (hf_reference.py) and writes or checks its
logits in __fixtures__/dovetail-lora/expected.safetensors. The vitest test dovetail-lora.reference.test.ts
then asserts Dovetail's own logits with that adapter match these within 1e-4, so CI needs no torch.

    python3 tools/reference/check_dovetail_lora.py            # compare with the committed logits (1e-5)
    python3 tools/reference/check_dovetail_lora.py --write    # (re)write expected.safetensors/json (--out DIR)
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import torch

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from hf_reference import load_model, logits as reference_logits  # noqa: E402
from make_model_fixtures import write_json, write_safetensors  # noqa: E402
from safetensors_io import read_file as read_safetensors  # noqa: E402

ROOT = HERE.parents[1]
REF = ROOT / "src/main/engine/models/__fixtures__/reference/llama"
OUT = ROOT / "src/main/engine/train/__fixtures__/dovetail-lora"
INPUT_IDS = [  # [2, 10], no padding
    [1, 281, 223, 112, 59, 209, 151, 40, 41, 7],
    [1, 16, 349, 0, 333, 12, 13, 14, 300, 2],
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--adapter", default=str(OUT / "adapter"))
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--out", type=Path, default=OUT, help="where --write writes (default: the committed fixture)")
    a = ap.parse_args()
    adapter = Path(a.adapter)
    config = json.loads((adapter / "adapter_config.json").read_text())
    assert config["peft_type"] == "LORA", config["peft_type"]
    scaling = config["lora_alpha"] / (math.sqrt(config["r"]) if config.get("use_rslora") else config["r"])
    lora = read_safetensors(adapter / "adapter_model.safetensors")
    ids = torch.tensor(INPUT_IDS)
    mask = torch.ones_like(ids)
    with torch.no_grad():
        logits = reference_logits(load_model(REF, adapter), ids, mask)
        base = reference_logits(load_model(REF), ids, mask)
    print(f"{len(lora)} LoRA tensors, scaling {scaling}; max |logits - base logits| = {(logits - base).abs().max().item():.4f}")
    if a.write:
        a.out.mkdir(parents=True, exist_ok=True)
        write_safetensors(a.out / "expected.safetensors", {"logits": logits.contiguous(), "base_logits": base.contiguous()})
        write_json(a.out / "expected.json", {
            "about": "check_dovetail_lora.py: PyTorch reference logits [2, 10, V] of the reference llama with the LoRA Dovetail "
                     "trained (adapter/), and without it (base_logits).",
            "torch": torch.__version__, "lora_scaling": scaling, "input_ids": INPUT_IDS,
        })
        print(f"wrote {a.out / 'expected.safetensors'}")
        return
    expected = read_safetensors(OUT / "expected.safetensors")["logits"]
    error = (logits - expected).abs().max().item()
    print(f"max |logits - committed torch logits| = {error:.2e}")
    if not error < 1e-5:
        sys.exit("the adapter's PyTorch logits differ from the committed fixture")


if __name__ == "__main__":
    main()
