"""Writes what PyTorch computes for Dovetail's training graph on the reference Llama checkpoint, into
src/main/engine/train/__fixtures__/training-reference/ (committed; the engine's tests read it and CI needs no torch):
the masked causal-LM loss (labels -100 ignored, HF shift, mean over target tokens) and its gradients for the PEFT
LoRA A/B and soft prompt (LoRA only, soft prompt only, both), the parameters after 5 torch.optim.AdamW steps on the
joint case, and a small AdamW case on hand-chosen numbers; plus memorise-llama/ (the same model, lm_head x 8).

    python3 tools/reference/make_train_reference.py [--out DIR]   # a Python with torch, transformers and PEFT
The model is hf_reference.py's (transformers' eager Llama with the PEFT LoRA, the soft prompt as inputs_embeds),
right-padded here.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from hf_reference import load_model, logits as reference_logits, lora_parameters  # noqa: E402
from make_model_fixtures import write_json, write_safetensors  # noqa: E402
from safetensors_io import read_file as read_safetensors  # noqa: E402

ROOT = HERE.parents[1]
REF = ROOT / "src/main/engine/models/__fixtures__/reference/llama"
OUT = ROOT / "src/main/engine/train/__fixtures__/training-reference"
PAD = 356
ROWS = [  # (prompt ids, target ids): labels on the target part only
    ([281, 223, 112], [59, 209, 151]),
    ([16, 349], [0, 333]),
]
SCALING = 2.0  # lora_alpha 8 / r 4 of the reference llama's adapter


def batch() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    T = max(len(p) + len(t) for p, t in ROWS)
    ids, mask, labels = [], [], []
    for p, t in ROWS:
        pad = T - len(p) - len(t)
        ids.append(p + t + [PAD] * pad)
        mask.append([1] * (len(p) + len(t)) + [0] * pad)
        labels.append([-100] * len(p) + t + [-100] * pad)
    return torch.tensor(ids), torch.tensor(mask), torch.tensor(labels)


def loss_of(model, soft) -> torch.Tensor:
    """transformers' causal-LM loss as PeftModelForCausalLM computes it (labels prefixed with -100 per virtual token)."""
    ids, mask, labels = batch()
    logits = reference_logits(model, ids, mask, soft)  # [B, n+T, V]
    if soft is not None:
        labels = torch.cat((torch.full((labels.shape[0], soft.shape[0]), -100), labels), dim=1)
    shift_logits = logits[:, :-1].reshape(-1, logits.shape[-1])
    shift_labels = labels[:, 1:].reshape(-1)
    return torch.nn.functional.cross_entropy(shift_logits, shift_labels, ignore_index=-100, reduction="mean")


def model_with(use_lora: bool):
    """The reference llama, with its PEFT LoRA trainable or without one; base weights frozen."""
    if use_lora:
        model = load_model(REF, REF / "lora", trainable=True)
        return model, lora_parameters(model)
    return load_model(REF).requires_grad_(False), None


def write_memorise_model(out: Path) -> None:
    """The reference llama with lm_head x 8: a random lm_head of row norm 1 over a 32-dim normed hidden state caps every
    logit near 6, so no adapter can push a token's probability near 1; x 8 lifts that cap for the memorisation test."""
    folder = out.parent / "memorise-llama"
    folder.mkdir(parents=True, exist_ok=True)
    w = read_safetensors(REF / "model.safetensors")
    w["lm_head.weight"] = w["lm_head.weight"] * 8
    write_safetensors(folder / "model.safetensors", w)
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json"):
        (folder / name).write_bytes((REF / name).read_bytes())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=OUT, help="the fixture folder (default: the committed one)")
    out = ap.parse_args().out
    torch.manual_seed(0)
    write_memorise_model(out)
    soft0 = read_safetensors(REF / "soft-prompt/adapter_model.safetensors")["prompt_embeddings"]
    out.mkdir(parents=True, exist_ok=True)
    cases, tensors = [], {}
    for name, use_lora, use_soft in (("lora", True, False), ("soft", False, True), ("lora-soft", True, True)):
        model, lora = model_with(use_lora)
        soft = soft0.clone().requires_grad_(True) if use_soft else None
        loss = loss_of(model, soft)
        loss.backward()
        if lora:
            for k, v in lora.items():
                tensors[f"{name}/grad/{k}"] = v.grad.contiguous()
        if soft is not None:
            tensors[f"{name}/grad/prompt_embeddings"] = soft.grad.contiguous()
        cases.append({"name": name, "lora": use_lora, "soft_prompt": use_soft, "loss": loss.item()})
    # 5 AdamW steps on the joint case.
    model, lora = model_with(True)
    soft = soft0.clone().requires_grad_(True)
    adamw = {"lr": 1e-2, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.01, "steps": 5}
    opt = torch.optim.AdamW([soft, *lora.values()], lr=adamw["lr"], betas=tuple(adamw["betas"]), eps=adamw["eps"], weight_decay=adamw["weight_decay"])
    step_losses = []
    for _ in range(adamw["steps"]):
        opt.zero_grad()
        loss = loss_of(model, soft)
        loss.backward()
        opt.step()
        step_losses.append(loss.item())
    for k, v in lora.items():
        tensors[f"adamw/{k}"] = v.detach().contiguous()
    tensors["adamw/prompt_embeddings"] = soft.detach().contiguous()
    # AdamW on hand-chosen numbers: 3 steps of x [3] with fixed gradients.
    x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    grads = [[0.1, -0.2, 0.3], [-0.5, 0.0, 1.0], [0.02, 0.3, -0.7]]
    small = {"lr": 0.1, "betas": [0.8, 0.95], "eps": 1e-6, "weight_decay": 0.1, "x0": x.tolist(), "grads": grads, "after": []}
    opt = torch.optim.AdamW([x], lr=small["lr"], betas=tuple(small["betas"]), eps=small["eps"], weight_decay=small["weight_decay"])
    for g in grads:
        x.grad = torch.tensor(g)
        opt.step()
        small["after"].append(x.tolist())
    ids, mask, labels = batch()
    write_safetensors(out / "expected.safetensors", tensors)
    write_json(out / "expected.json", {
        "about": "make_train_reference.py: loss and gradients (expected.safetensors '<case>/grad/<peft key>') of the reference llama "
                 "checkpoint with its PEFT LoRA and soft prompt on a right-padded batch; params after AdamW steps ('adamw/<key>').",
        "torch": torch.__version__, "pad_token_id": PAD, "lora_scaling": SCALING,
        "rows": [{"prompt": p, "target": t} for p, t in ROWS],
        "input_ids": ids.tolist(), "labels": labels.tolist(), "cases": cases,
        "adamw": dict(adamw, losses=step_losses), "adamw_small": small,
    })
    print(json.dumps(cases), step_losses)


if __name__ == "__main__":
    main()
