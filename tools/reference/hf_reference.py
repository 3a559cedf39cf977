"""The PyTorch reference of the engine's parity fixtures: transformers' own model for a checkpoint folder (eager
attention, float32) with PEFT's LoRA and a prompt-tuning soft prompt, so no Llama forward is written by hand here.
Shapes: B batch, T time, n virtual tokens, V vocab.

Soft prompt: virtual tokens first, always attended, at positions 0..n-1, each row's real tokens at n + cumsum(mask) - 1,
as transformers' generate() counts positions for a left-padded batch. PeftModelForCausalLM (PROMPT_TUNING) drops
position_ids, so for a padded row it would shift; the embeddings are therefore passed as inputs_embeds here.
"""
from __future__ import annotations

from pathlib import Path

import torch
from peft import PeftModel
from transformers import AutoModelForCausalLM


def load_model(folder: Path, lora: Path | None = None, trainable: bool = False):
    """The checkpoint in `folder` (weights read as float32) with the PEFT LoRA adapter folder `lora` on top."""
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager")
    if lora is not None:
        model = PeftModel.from_pretrained(model, lora, is_trainable=trainable)
    return model.train(False)


def lora_parameters(model) -> dict[str, torch.nn.Parameter]:
    """The LoRA A/B parameters under the keys PEFT saves them with (adapter name dropped)."""
    return {name.replace(".default.", "."): p for name, p in model.named_parameters() if ".lora_" in name}


def positions_of(mask: torch.Tensor) -> torch.Tensor:
    """[B, T] positions cumsum(mask) - 1, padded positions 1 (transformers' generate())."""
    return (mask.long().cumsum(-1) - 1).masked_fill(mask == 0, 1)


def logits(model, ids: torch.Tensor, mask: torch.Tensor, soft: torch.Tensor | None = None) -> torch.Tensor:
    """ids, mask [B, T] -> logits [B, n + T, V]; soft [n, C] or None."""
    if soft is None:
        return model(input_ids=ids, attention_mask=mask, position_ids=positions_of(mask)).logits
    B, n = ids.shape[0], soft.shape[0]
    embeds = torch.cat((soft[None].expand(B, -1, -1), model.get_input_embeddings()(ids)), dim=1)
    full_mask = torch.cat((torch.ones(B, n, dtype=mask.dtype), mask), dim=1)
    pos = torch.cat((torch.arange(n)[None].expand(B, -1), positions_of(mask) + n), dim=1)
    return model(inputs_embeds=embeds, attention_mask=full_mask, position_ids=pos).logits


def left_padded(prompts: list[list[int]], pad: int) -> tuple[torch.Tensor, torch.Tensor]:
    T = max(len(p) for p in prompts)
    ids = torch.tensor([[pad] * (T - len(p)) + p for p in prompts])
    mask = torch.tensor([[0] * (T - len(p)) + [1] * len(p) for p in prompts])
    return ids, mask


@torch.no_grad()
def greedy(model, prompts: list[list[int]], pad: int, soft: torch.Tensor | None, steps: int) -> list[list[int]]:
    """`steps` argmax tokens per row, the whole left-padded sequence recomputed every step (no cache), so the engine's
    cached decoding is checked against it."""
    rows = [list(p) for p in prompts]
    for _ in range(steps):
        ids, mask = left_padded(rows, pad)
        nxt = logits(model, ids, mask, soft)[:, -1].argmax(-1).tolist()
        for row, t in zip(rows, nxt):
            row.append(t)
    return [row[len(p):] for row, p in zip(rows, prompts)]
