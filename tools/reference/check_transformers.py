"""Cross-checks the fixtures of make_reference.py against transformers and PEFT themselves (run it where
transformers and PEFT are installed, e.g. a GPU machine). Prints the largest logit difference per case and whether
the greedy tokens agree; exits 1 on a difference above 1e-4 or a token mismatch.

    python3 tools/reference/check_transformers.py
Soft-prompt cases: batch 1 goes through PeftModel (PROMPT_TUNING) as is; the left-padded batch passes inputs_embeds
with the virtual tokens first and explicit position_ids (PEFT drops position_ids, so its padded rows shift).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import torch
from peft import PeftModel
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "src/main/engine/models/__fixtures__/reference"


def padded(prompts: list[list[int]], pad: int) -> tuple[torch.Tensor, torch.Tensor]:
    T = max(len(p) for p in prompts)
    ids = torch.tensor([[pad] * (T - len(p)) + p for p in prompts])
    mask = torch.tensor([[0] * (T - len(p)) + [1] * len(p) for p in prompts])
    return ids, mask


def positions_of(mask: torch.Tensor) -> torch.Tensor:
    return (mask.cumsum(-1) - 1).masked_fill(mask == 0, 1)


def logits_with_soft(model, ids, mask, soft) -> torch.Tensor:
    """inputs_embeds = [soft; embeds], mask of ones for the virtual tokens, positions n + cumsum - 1."""
    B, n = ids.shape[0], soft.shape[0]
    embeds = torch.cat((soft[None].expand(B, -1, -1), model.get_input_embeddings()(ids)), dim=1)
    full_mask = torch.cat((torch.ones(B, n, dtype=mask.dtype), mask), dim=1)
    pos = torch.cat((torch.arange(n)[None].expand(B, -1), positions_of(mask) + n), dim=1)
    return model(inputs_embeds=embeds, attention_mask=full_mask, position_ids=pos).logits


def greedy_with_soft(model, prompts, pad, soft, steps: int) -> list[list[int]]:
    rows = [list(p) for p in prompts]
    out: list[list[int]] = [[] for _ in prompts]
    pads = [max(len(p) for p in prompts) - len(p) for p in prompts]
    for _ in range(steps):
        ids = torch.tensor([[pad] * pads[b] + rows[b] for b in range(len(rows))])
        mask = torch.tensor([[0] * pads[b] + [1] * len(rows[b]) for b in range(len(rows))])
        nxt = logits_with_soft(model, ids, mask, soft)[:, -1].argmax(-1).tolist()
        for b, t in enumerate(nxt):
            rows[b].append(t)
            out[b].append(t)
    return out


def main() -> int:
    worst, bad = 0.0, []
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        ref = json.loads((folder / "expected.json").read_text())
        expected = load_file(str(folder / "expected.safetensors"))
        base = AutoModelForCausalLM.from_pretrained(folder, torch_dtype=torch.float32, attn_implementation="eager").eval()
        lora = PeftModel.from_pretrained(
            AutoModelForCausalLM.from_pretrained(folder, torch_dtype=torch.float32, attn_implementation="eager"), folder / "lora"
        ).eval()
        prompt_tuned = PeftModel.from_pretrained(
            AutoModelForCausalLM.from_pretrained(folder, torch_dtype=torch.float32, attn_implementation="eager"), folder / "soft-prompt"
        ).eval()
        soft = load_file(str(folder / "soft-prompt/adapter_model.safetensors"))["prompt_embeddings"]
        pad, steps = ref["pad_token_id"], ref["new_tokens"]
        for case in ref["cases"]:
            ids, mask = padded(case["prompts"], pad)
            model = lora if case["lora"] else base
            with torch.no_grad():
                if not case["soft_prompt"]:
                    logits = model(input_ids=ids, attention_mask=mask, position_ids=positions_of(mask)).logits
                    gen = model.generate(input_ids=ids, attention_mask=mask, do_sample=False, max_new_tokens=steps, min_new_tokens=steps, pad_token_id=pad, eos_token_id=None)
                    tokens = gen[:, ids.shape[1]:].tolist()
                elif len(case["prompts"]) == 1 and not case["lora"]:
                    logits = prompt_tuned(input_ids=ids, attention_mask=mask).logits
                    tokens = greedy_with_soft(base, case["prompts"], pad, soft, steps)
                else:
                    logits = logits_with_soft(model, ids, mask, soft)
                    tokens = greedy_with_soft(model, case["prompts"], pad, soft, steps)
            got = torch.stack([logits[b, case["positions"][b]] for b in range(len(case["prompts"]))])
            diff = (got - expected[case["name"]]).abs().max().item()
            worst = max(worst, diff)
            same = tokens == case["greedy"]
            verdict = "same" if same else f"DIFFERENT {tokens} vs {case['greedy']}"
            print(f"{folder.name:12s} {case['name']:14s} max|diff| {diff:.2e} greedy {verdict}")
            if diff > 1e-4 or not same:
                bad.append(f"{folder.name}/{case['name']}")
    print(f"worst {worst:.2e}; {'all agree' if not bad else 'MISMATCH: ' + ', '.join(bad)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
