"""Runs a training job exported by Dovetail with transformers + PEFT (and accelerate for 1..N GPUs).

The export holds the rows as Dovetail tokenized them (data/*.jsonl: input_ids and labels, -100 on the prompt), the
plan of every optimizer step (data/plan.json: the rows of each micro-batch and its learning rate) and Dovetail's
initial weights (init/: a PEFT LoRA folder, the soft prompt in prompt_tuning/ or at the root). This script follows
that plan exactly, so its step-0 loss is Dovetail's (job.json: reference.step0_loss), and writes a PEFT adapter
folder that Dovetail imports back (Adapters > Import PEFT folder) with its lineage to the job.

A soft prompt is prepended here, as PEFT's PromptEmbedding does (virtual tokens first, at positions 0..n-1), because
PEFT cannot stack prompt tuning and LoRA in one PeftModel; it is saved in PEFT's PROMPT_TUNING layout. The loss of a
step is the mean over every target token of the step (micro-batches and GPUs summed, not averaged per batch), as
Dovetail computes it. TRL is not used: its trainers re-batch the data.

  python train_peft.py                               # one GPU, or the CPU
  accelerate launch --config_file accelerate/multi_gpu.yaml --num_processes 2 train_peft.py
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file
from transformers import AutoModelForCausalLM

HERE = Path(__file__).resolve().parent
PROMPT_TUNING = "prompt_tuning"


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--export", type=Path, default=HERE, help="the exported job folder (default: this script's)")
    p.add_argument("--base", type=str, default=None, help="base model folder or hub id (default: job.json's)")
    p.add_argument("--output", type=Path, default=None, help="adapter folder to write (default: <export>/output)")
    p.add_argument("--dtype", choices=["float32", "bfloat16"], default="float32",
                   help="weights of the frozen base; the trained parameters stay float32")
    p.add_argument("--attn", default="sdpa", help="attn_implementation (eager, sdpa, flash_attention_2)")
    p.add_argument("--max-steps", type=int, default=None, help="stop after this many optimizer steps (a check)")
    p.add_argument("--no-save", action="store_true", help="train without writing the adapter (a check)")
    p.add_argument("--log", type=Path, default=None, help="also write the per-step log as JSON Lines here")
    return p.parse_args()


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class Job:
    def __init__(self, folder: Path):
        self.folder = folder
        self.job = json.loads((folder / "job.json").read_text(encoding="utf-8"))
        self.hyper = json.loads((folder / "hyperparameters.json").read_text(encoding="utf-8"))
        self.plan = json.loads((folder / "data" / "plan.json").read_text(encoding="utf-8"))["steps"]
        self.train = read_jsonl(folder / "data" / "train.jsonl")
        self.validation = read_jsonl(folder / "data" / "validation.jsonl")
        init = folder / "init"
        lora_config = init / "adapter_config.json"
        self.lora_dir = init if lora_config.exists() and _peft_type(lora_config) == "LORA" else None
        soft_dir = init / PROMPT_TUNING if self.lora_dir else init
        self.soft_dir = soft_dir if (soft_dir / "adapter_config.json").exists() and _peft_type(
            soft_dir / "adapter_config.json") == "PROMPT_TUNING" else None


def _peft_type(path: Path) -> str:
    return json.loads(path.read_text(encoding="utf-8"))["peft_type"]


class Trainable:
    """The frozen base with Dovetail's initial LoRA (PEFT) and/or soft prompt [n, C] (a float32 parameter)."""

    def __init__(self, job: Job, base: str, dtype: torch.dtype, attn: str, device: torch.device):
        model = AutoModelForCausalLM.from_pretrained(base, dtype=dtype, attn_implementation=attn)
        model.requires_grad_(False)
        if job.lora_dir is not None:
            from peft import PeftModel

            model = PeftModel.from_pretrained(model, job.lora_dir, is_trainable=True)
            # PEFT keeps the LoRA weights in the base's dtype; the optimizer works on float32 copies as Dovetail does.
            for name, p in model.named_parameters():
                if p.requires_grad:
                    p.data = p.data.float()
        self.model = model.to(device)
        self.base = model.get_base_model() if job.lora_dir is not None else model
        self.soft = None
        if job.soft_dir is not None:
            embeddings = load_file(str(job.soft_dir / "adapter_model.safetensors"))["prompt_embeddings"]
            self.soft = torch.nn.Parameter(embeddings.float().to(device))
        self.device = device
        self.dtype = dtype

    def parameters(self) -> list[torch.nn.Parameter]:
        lora = [p for p in self.model.parameters() if p.requires_grad]
        return ([self.soft] if self.soft is not None else []) + lora

    def train(self, on: bool) -> None:
        self.model.train(on)  # LoRA dropout is active while training only, as in Dovetail

    def summed_loss(self, rows: list[dict], pad: int) -> tuple[torch.Tensor, int, int]:
        """Summed token loss of one micro-batch (right-padded), its target-token and real-token counts."""
        n = 0 if self.soft is None else self.soft.shape[0]
        T = max(len(r["input_ids"]) for r in rows)
        ids = torch.full((len(rows), T), pad, dtype=torch.long)
        mask = torch.zeros((len(rows), n + T), dtype=torch.long)
        mask[:, :n] = 1
        labels = torch.full((len(rows), T), -100, dtype=torch.long)
        for b, r in enumerate(rows):
            L = len(r["input_ids"])
            ids[b, :L] = torch.tensor(r["input_ids"])
            labels[b, :L] = torch.tensor(r["labels"])
            mask[b, n:n + L] = 1
        ids, mask, labels = ids.to(self.device), mask.to(self.device), labels.to(self.device)
        embeds = self.base.get_input_embeddings()(ids)
        if self.soft is not None:
            embeds = torch.cat((self.soft.to(embeds.dtype)[None].expand(len(rows), -1, -1), embeds), dim=1)
        positions = torch.arange(n + T, device=self.device)[None].expand(len(rows), -1)
        hidden = self.base.model(inputs_embeds=embeds, attention_mask=mask, position_ids=positions).last_hidden_state
        # The logits at position s predict label s + 1 (virtual tokens carry no label); only target rows reach lm_head.
        full = torch.cat((torch.full((len(rows), n), -100, device=self.device), labels), dim=1)
        shifted = full[:, 1:]
        picked = shifted != -100
        logits = self.base.lm_head(hidden[:, :-1][picked]).float()
        loss = F.cross_entropy(logits, shifted[picked], reduction="sum")
        return loss, int(picked.sum()), int(sum(len(r["input_ids"]) for r in rows))


def sum_across(value: torch.Tensor, world: int) -> torch.Tensor:
    if world > 1:
        torch.distributed.all_reduce(value, op=torch.distributed.ReduceOp.SUM)
    return value


def main() -> None:
    args = parse_args()
    job = Job(args.export.resolve())
    try:
        from accelerate import Accelerator

        accelerator = Accelerator()
        device, rank, world = accelerator.device, accelerator.process_index, accelerator.num_processes
    except ImportError:
        accelerator = None
        device, rank, world = torch.device("cuda" if torch.cuda.is_available() else "cpu"), 0, 1
    main_process = rank == 0
    h = job.hyper
    torch.manual_seed(h["seed"] + rank)
    base = args.base or job.job["base_model"]["path"]
    dtype = torch.float32 if args.dtype == "float32" else torch.bfloat16
    model = Trainable(job, base, dtype, args.attn, device)
    params = model.parameters()
    optimizer = torch.optim.AdamW(params, lr=h["learning_rate"], betas=tuple(h["betas"]), eps=h["eps"],
                                  weight_decay=h["weight_decay"])
    pad = job.job["tokens"]["pad_token_id"]
    steps = job.plan if args.max_steps is None else job.plan[: args.max_steps]
    log: list[dict] = []
    val_log: list[dict] = []
    started = time.perf_counter()
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
    for planned in steps:
        t0 = time.perf_counter()
        model.train(True)
        micro = planned["micro_batches"]
        targets = sum(sum(1 for l in job.train[i]["labels"][1:] if l != -100) + _first_label(job.train[i], model)
                      for mb in micro for i in mb)
        loss_sum = torch.zeros((), device=device)
        tokens = 0
        # Each process takes every world-th micro-batch; gradients are summed across processes below.
        for mb in micro[rank::world]:
            loss, _, real = model.summed_loss([job.train[i] for i in mb], pad)
            (loss / targets).backward()
            loss_sum += loss.detach() / targets
            tokens += real
        for p in params:
            if p.grad is None:
                p.grad = torch.zeros_like(p)
            sum_across(p.grad, world)
        loss_value = float(sum_across(loss_sum, world))
        tokens_all = int(sum_across(torch.tensor(float(tokens), device=device), world))
        norm = torch.nn.utils.clip_grad_norm_(params, h["max_grad_norm"]) if h["max_grad_norm"] else _norm(params)
        for group in optimizer.param_groups:
            group["lr"] = planned["lr"]
        optimizer.step()
        optimizer.zero_grad(set_to_none=False)
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        seconds = time.perf_counter() - t0
        entry = {"step": planned["step"] + 1, "loss": loss_value, "lr": planned["lr"], "grad_norm": float(norm),
                 "seconds": seconds, "tokens": tokens_all, "tokens_per_second_per_process": tokens_all / world / seconds}
        log.append(entry)
        if main_process:
            print(json.dumps(entry), flush=True)
        every = h.get("eval_every")
        last = planned["step"] + 1 == len(steps)
        if job.validation and every and ((planned["step"] + 1) % every == 0 or last):
            val = validation_loss(model, job, pad, rank, world, device)
            val_log.append({"step": planned["step"] + 1, "loss": val})
            if main_process:
                print(json.dumps({"step": planned["step"] + 1, "validation_loss": val}), flush=True)
    total = time.perf_counter() - started
    if not main_process:
        return
    reference = job.job["reference"].get("step0_loss")
    first = log[0]["loss"] if log else None
    summary = {
        "step0_loss": first,
        "dovetail_step0_loss": reference,
        "step0_relative_difference": None if first is None or reference is None else abs(first - reference) / abs(reference),
        "steps": len(log),
        "seconds": total,
        "seconds_per_step_after_first": (sum(e["seconds"] for e in log[1:]) / (len(log) - 1)) if len(log) > 1 else None,
        "tokens_per_second_per_process": sum(e["tokens"] for e in log) / world / total if total > 0 else None,
        "processes": world,
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else platform.processor() or "cpu",
        "peak_gpu_memory_bytes": torch.cuda.max_memory_allocated(device) if device.type == "cuda" else None,
        "dtype": args.dtype,
        "versions": _versions(),
    }
    print(json.dumps({"summary": summary}), flush=True)
    if args.log:
        args.log.write_text("".join(json.dumps(e) + "\n" for e in log), encoding="utf-8")
    if not args.no_save:
        save(model, job, base, args.output or job.folder / "output", log, val_log, summary)


def _first_label(row: dict, model: Trainable) -> int:
    """Label 0 has a predicting position only when a soft prompt comes before it."""
    return 1 if model.soft is not None and row["labels"] and row["labels"][0] != -100 else 0


def _norm(params: list[torch.nn.Parameter]) -> torch.Tensor:
    return torch.sqrt(sum((p.grad.float() ** 2).sum() for p in params))


@torch.no_grad()
def validation_loss(model: Trainable, job: Job, pad: int, rank: int, world: int, device: torch.device) -> float:
    model.train(False)
    bs = job.hyper["batch_size"]
    batches = [job.validation[i:i + bs] for i in range(0, len(job.validation), bs)]
    total = torch.zeros((), device=device)
    count = torch.zeros((), device=device)
    for batch in batches[rank::world]:
        loss, targets, _ = model.summed_loss(batch, pad)
        total += loss
        count += targets
    return float(sum_across(total, world) / sum_across(count, world))


def save(model: Trainable, job: Job, base: str, out: Path, log: list, val_log: list, summary: dict) -> None:
    out.mkdir(parents=True, exist_ok=False)
    if job.lora_dir is not None:
        model.model.save_pretrained(out)
        _set_base(out / "adapter_config.json", base)
    if model.soft is not None:
        folder = out / PROMPT_TUNING if job.lora_dir is not None else out
        folder.mkdir(exist_ok=True)
        config = json.loads((job.soft_dir / "adapter_config.json").read_text(encoding="utf-8"))
        (folder / "adapter_config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
        _set_base(folder / "adapter_config.json", base)
        save_file({"prompt_embeddings": model.soft.detach().float().cpu().contiguous()},
                  str(folder / "adapter_model.safetensors"))
    run = {
        "format": "dovetail-job-run",
        "format_version": 1,
        "job": {k: job.job[k] for k in ("export_id", "job_id", "name", "base_model", "job_model", "dataset", "template")},
        "export_manifest_sha256": hashlib.sha256((job.folder / "manifest.json").read_bytes()).hexdigest(),
        "losses": [{"step": e["step"], "loss": e["loss"]} for e in log],
        "validation_losses": val_log,
        "summary": summary,
    }
    (out / "dovetail_job_run.json").write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
    print(f"adapter written to {out}", flush=True)


def _set_base(path: Path, base: str) -> None:
    config = json.loads(path.read_text(encoding="utf-8"))
    config["base_model_name_or_path"] = base
    path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _versions() -> dict:
    import transformers

    out = {"torch": torch.__version__, "transformers": transformers.__version__, "python": platform.python_version()}
    for name in ("peft", "accelerate"):
        try:
            out[name] = __import__(name).__version__
        except ImportError:
            out[name] = None
    return out


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    main()
