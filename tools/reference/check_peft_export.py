"""Checks an adapter Dovetail exported (Adapters > Export, or `call adapters.export`) with PyTorch and PEFT: loads the
folder through AutoPeftModelForCausalLM.from_pretrained(folder), which finds the base model through
adapter_config.json's base_model_name_or_path, checks the adapter is active (its logits differ from the base model's
with the adapter disabled) and, given Dovetail's logits for a prompt (tools/reference/dovetail_export_logits.ts),
that PyTorch's logits match them. Not part of npm test (it needs torch, transformers and peft).

    node bench/run.mjs tools/reference/dovetail_export_logits.ts EXPORT /tmp/dovetail-logits.json
    python3 tools/reference/check_peft_export.py EXPORT --dovetail-logits /tmp/dovetail-logits.json
    # the soft prompt of a LoRA + soft prompt export (prompt_tuning/):
    node bench/run.mjs tools/reference/dovetail_export_logits.ts EXPORT /tmp/soft.json --soft-prompt
    python3 tools/reference/check_peft_export.py EXPORT --subfolder prompt_tuning --dovetail-logits /tmp/soft.json
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch
from peft import AutoPeftModelForCausalLM, PeftConfig, PeftModel
from transformers import AutoModelForCausalLM, AutoTokenizer

sys.dont_write_bytecode = True


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", help="the exported adapter folder")
    ap.add_argument("--dovetail-logits", help="JSON written by dovetail_export_logits.ts for the same folder")
    ap.add_argument("--prompt", default="Triage this support message: I was charged twice for my subscription this month.")
    ap.add_argument("--subfolder", default="", help="prompt_tuning: the soft prompt saved beside a LoRA")
    ap.add_argument("--tolerance", type=float, default=1e-3, help="largest |logit difference| accepted (float32)")
    a = ap.parse_args()
    folder = Path(a.folder)

    sub = {"subfolder": a.subfolder} if a.subfolder else {}
    config = PeftConfig.from_pretrained(folder, **sub)
    base = config.base_model_name_or_path
    print(f"peft_type {config.peft_type}, base_model_name_or_path {base}")
    if not base or not (Path(base) / "config.json").exists():
        sys.exit(f"base_model_name_or_path {base!r} is not a model folder on this machine")

    if a.subfolder:
        # from_pretrained would look for the base model in the subfolder too: load the base, then the adapter on it.
        model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32), folder, subfolder=a.subfolder)
    else:
        model = AutoPeftModelForCausalLM.from_pretrained(folder, dtype=torch.float32)
    model.eval()
    print(f"loaded {type(model).__name__} over {type(model.get_base_model()).__name__}; active adapter {model.active_adapter}")

    if a.dovetail_logits:
        dovetail = json.loads(Path(a.dovetail_logits).read_text())
        ids = dovetail["input_ids"]
    else:
        dovetail = None
        ids = AutoTokenizer.from_pretrained(base)(a.prompt)["input_ids"]
    input_ids = torch.tensor([ids])
    with torch.no_grad():
        logits = model(input_ids=input_ids).logits.float()
        with model.disable_adapter():
            plain = model(input_ids=input_ids).logits.float()
    effect = (logits[:, -plain.shape[1]:] - plain).abs().max().item()
    print(f"{len(ids)} prompt tokens; logits {list(logits.shape)}; max |adapter - base| = {effect:.4f}")
    if not effect > 1e-4:
        sys.exit("the adapter is not active: it does not change the logits")

    if dovetail is not None:
        ours = torch.tensor(dovetail["logits"]).reshape(dovetail["dims"])
        ours_base = torch.tensor(dovetail["base_logits"]).reshape(plain.shape)
        error = (logits - ours).abs().max().item()
        base_error = (plain - ours_base).abs().max().item()
        same_argmax = (logits.argmax(-1) == ours.argmax(-1)).float().mean().item()
        print(f"max |PyTorch - Dovetail| with the adapter = {error:.2e}, without = {base_error:.2e}; "
              f"next-token argmax agrees at {same_argmax:.0%} of positions")
        if not (error < a.tolerance and base_error < a.tolerance):
            sys.exit(f"PyTorch's logits differ from Dovetail's by more than {a.tolerance}")
    print("ok")


if __name__ == "__main__":
    main()
