"""Pretrains the demo Llama on the tokenized WordNet corpus and exports a Hugging Face folder (F16 safetensors,
sharded below 15 MiB a file, config.json, generation_config.json) plus metrics.json (parameter count, held-out
perplexity of the exported F16 weights, tokens/s, greedy samples).

Runs on a CUDA GPU (bf16 autocast, fp32 master weights) or, slowly, on the CPU for a smoke test.

  python3 tools/demo-model/pretrain.py --corpus work/corpus --model work/model --steps 2000
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reference"))  # torch_llama, safetensors_io
from torch_llama import LlamaConfig, LlamaForCausalLM, greedy  # noqa: E402
from safetensors_io import load_folder, save_sharded  # noqa: E402

EOT, IM_START, IM_END = 0, 1, 2
SHARD_BYTES = 10 * 1024 * 1024  # < 15 MiB per file: the GPU machine returns files of at most 16 MiB

SAMPLE_PROMPTS = [
    ("chat", "What does lighthouse mean?"),
    ("chat", "Give a synonym of happy."),
    ("chat", "What is the opposite of hot?"),
    ("chat", "Return a JSON object with the word, its part of speech and its meaning: river"),
    ("text", "A violin is a kind of"),
    ("text", "The word \"harbor\" means"),
    ("chat", "Which of these is a kind of fruit: apple, hammer or river?"),
    ("chat", "What does cryosurgery mean?"),  # a held-out synset: its definition never appears in training
]


def chat_prompt(user: str) -> str:
    return f"<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n"


def tokenize(tok, path: Path) -> np.ndarray:
    """All documents of a JSONL file, each followed by <|endoftext|>, as one uint16 stream."""
    docs = [json.loads(line)["text"] for line in open(path, encoding="utf-8")]
    encs = tok.encode_batch(docs, add_special_tokens=False)
    total = sum(len(e.ids) + 1 for e in encs)
    out = np.empty(total, dtype=np.uint16)
    i = 0
    for e in encs:
        n = len(e.ids)
        out[i:i + n] = e.ids
        out[i + n] = EOT
        i += n + 1
    return out


def blocks(stream: np.ndarray, T: int) -> torch.Tensor:
    """Non-overlapping windows of T+1 tokens (inputs and shifted targets)."""
    n = (len(stream) - 1) // T
    idx = np.arange(n)[:, None] * T + np.arange(T + 1)[None, :]
    return torch.from_numpy(stream[idx].astype(np.int64))


@torch.no_grad()
def evaluate(model, data: torch.Tensor, batch: int, device, autocast) -> float:
    """Mean cross-entropy (nats/token) over all windows."""
    model.eval()
    total, count = 0.0, 0
    for i in range(0, len(data), batch):
        xy = data[i:i + batch].to(device)
        with autocast():
            logits = model(xy[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(), xy[:, 1:].reshape(-1), reduction="sum")
        total += float(loss)
        count += xy[:, 1:].numel()
    model.train()
    return total / count


def hf_config(cfg: LlamaConfig) -> dict:
    return {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama",
        "vocab_size": cfg.vocab_size, "hidden_size": cfg.hidden_size, "intermediate_size": cfg.intermediate_size,
        "num_hidden_layers": cfg.num_hidden_layers, "num_attention_heads": cfg.num_attention_heads,
        "num_key_value_heads": cfg.num_key_value_heads, "head_dim": cfg.head_dim,
        "max_position_embeddings": cfg.max_position_embeddings, "rope_theta": cfg.rope_theta, "rope_scaling": None,
        "rms_norm_eps": cfg.rms_norm_eps, "hidden_act": "silu", "attention_bias": False, "attention_dropout": 0.0,
        "mlp_bias": False, "initializer_range": 0.02, "pretraining_tp": 1, "tie_word_embeddings": cfg.tie_word_embeddings,
        "bos_token_id": None, "eos_token_id": IM_END, "pad_token_id": EOT, "torch_dtype": "float16", "use_cache": True,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--model", required=True, help="folder holding tokenizer.json; the model is written there")
    ap.add_argument("--hidden", type=int, default=384)
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--heads", type=int, default=6)
    ap.add_argument("--kv-heads", type=int, default=2)
    ap.add_argument("--intermediate", type=int, default=1024)
    ap.add_argument("--context", type=int, default=512)
    ap.add_argument("--batch", type=int, default=128, help="sequences per step")
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--min-lr-ratio", type=float, default=0.1)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--weight-decay", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--time-budget", type=float, default=0,
                    help="seconds; if > 0, lowers --steps after 30 timed steps so training fits (recorded)")
    ap.add_argument("--compile", action="store_true")
    ap.add_argument("--eval-every", type=int, default=250)
    ap.add_argument("--log", default=None)
    args = ap.parse_args()

    from tokenizers import Tokenizer  # only here: check.py imports nothing of this file

    torch.manual_seed(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    cuda = device.type == "cuda"
    if cuda:
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    log_fh = open(args.log, "a") if args.log else None

    def log(msg: str) -> None:
        print(msg, flush=True)
        if log_fh:
            log_fh.write(msg + "\n")
            log_fh.flush()

    model_dir = Path(args.model)
    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    t0 = time.time()
    train_stream = tokenize(tok, Path(args.corpus) / "train.jsonl")
    held_stream = tokenize(tok, Path(args.corpus) / "heldout.jsonl")
    T = args.context
    train = blocks(train_stream, T)
    held = blocks(held_stream, T)
    log(f"tokens: train {len(train_stream)} held-out {len(held_stream)}; windows {len(train)} / {len(held)}; "
        f"tokenized in {time.time() - t0:.1f}s")

    cfg = LlamaConfig(vocab_size=tok.get_vocab_size(), hidden_size=args.hidden, intermediate_size=args.intermediate,
                      num_hidden_layers=args.layers, num_attention_heads=args.heads,
                      num_key_value_heads=args.kv_heads, max_position_embeddings=T)
    model = LlamaForCausalLM(cfg)
    model.init_weights(args.seed)
    model.to(device)
    n_params = sum(p.numel() for p in model.parameters())  # tied embedding counted once
    log(f"config {cfg}; parameters {n_params}")

    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.95), eps=1e-8, **({"fused": True} if cuda else {}))
    fwd = torch.compile(model) if args.compile else model

    def autocast():
        return torch.autocast("cuda", dtype=torch.bfloat16) if cuda else torch.autocast("cpu", enabled=False)

    steps = args.steps

    def lr_at(step: int) -> float:
        if step < args.warmup:
            return args.lr * (step + 1) / args.warmup
        p = min(1.0, (step - args.warmup) / max(1, steps - args.warmup))
        return args.lr * (args.min_lr_ratio + (1 - args.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * p)))

    gen = torch.Generator().manual_seed(args.seed)
    order, cursor, epoch = torch.randperm(len(train), generator=gen), 0, 0
    history = []
    tokens_per_step = args.batch * T
    timed_tokens, timed_secs = 0, 0.0
    t_start = time.time()
    step = 0
    while step < steps:
        if cursor + args.batch > len(order):
            order, cursor, epoch = torch.randperm(len(train), generator=gen), 0, epoch + 1
        xy = train[order[cursor:cursor + args.batch]].to(device, non_blocking=True)
        cursor += args.batch
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        ts = time.time()
        with autocast():
            logits = fwd(xy[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, cfg.vocab_size).float(), xy[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        if step % 50 == 0 or step == steps - 1:
            lv = float(loss.detach())  # syncs
            log(f"step {step}/{steps} epoch {epoch} loss {lv:.4f} lr {lr_at(step):.2e} "
                f"elapsed {time.time() - t_start:.0f}s")
            history.append({"step": step, "loss": round(lv, 4)})
        else:
            if cuda:
                torch.cuda.synchronize()
        if step >= 10:  # after compilation and warm-up
            timed_tokens += tokens_per_step
            timed_secs += time.time() - ts
        if args.time_budget and step == 40:
            per_step = timed_secs / 31
            fit = int((args.time_budget - (time.time() - t_start)) / per_step) + step
            if fit < steps:
                log(f"time budget {args.time_budget}s: {per_step * 1000:.1f} ms/step, steps {steps} -> {fit}")
                steps = fit
        if step > 0 and step % args.eval_every == 0:
            log(f"step {step} held-out loss {evaluate(model, held, 64, device, autocast):.4f}")
        step += 1
    train_secs = time.time() - t_start
    tok_per_s = timed_tokens / max(timed_secs, 1e-9)
    log(f"trained {steps} steps ({steps * tokens_per_step} tokens, {epoch + cursor / len(order):.2f} epochs) "
        f"in {train_secs:.0f}s; {tok_per_s:.0f} tokens/s")

    # ---- export: F16 weights, then measure what was exported ---------------------------------------
    sd = {k: v.detach().to(torch.float16).cpu() for k, v in model.hf_state_dict().items()}
    files = save_sharded(model_dir, sd, SHARD_BYTES)
    (model_dir / "config.json").write_text(json.dumps(hf_config(cfg), indent=2) + "\n")
    (model_dir / "generation_config.json").write_text(json.dumps(
        {"bos_token_id": None, "eos_token_id": [IM_END, EOT], "pad_token_id": EOT, "do_sample": False}, indent=2) + "\n")
    log(f"wrote {files}")

    exported = LlamaForCausalLM(cfg)
    exported.load_hf_state_dict({k: v.float() for k, v in load_folder(model_dir).items()})
    exported.to(device).eval()

    def fp32():
        return torch.autocast(device.type, enabled=False)

    held_loss = evaluate(exported, held, 64, device, fp32)
    sample_idx = torch.randperm(len(train), generator=torch.Generator().manual_seed(7))[:len(held)]
    train_loss = evaluate(exported, train[sample_idx], 64, device, fp32)
    samples = []
    for kind, text in SAMPLE_PROMPTS:
        prompt = chat_prompt(text) if kind == "chat" else text
        ids = tok.encode(prompt, add_special_tokens=False).ids
        out = greedy(exported, ids, 48, {IM_END, EOT})
        samples.append({"kind": kind, "prompt": prompt, "completion": tok.decode(out, skip_special_tokens=False)})
        log(f"--- {prompt!r}\n{samples[-1]['completion']!r}")
    metrics = {
        "parameters": n_params, "config": hf_config(cfg),
        "corpus_tokens": {"train": int(len(train_stream)), "heldout": int(len(held_stream))},
        "steps": steps, "batch_sequences": args.batch, "context": T, "tokens_trained": steps * tokens_per_step,
        "epochs": round(epoch + cursor / len(order), 3), "lr": args.lr, "warmup": args.warmup,
        "min_lr_ratio": args.min_lr_ratio, "weight_decay": args.weight_decay, "seed": args.seed,
        "compile": args.compile, "tokens_per_second": round(tok_per_s), "train_seconds": round(train_secs, 1),
        "device": torch.cuda.get_device_name(0) if cuda else "cpu", "torch": torch.__version__,
        "heldout_loss": round(held_loss, 4), "heldout_perplexity": round(math.exp(held_loss), 3),
        "train_slice_loss": round(train_loss, 4), "train_slice_perplexity": round(math.exp(train_loss), 3),
        "loss_history": history, "samples": samples,
    }
    (model_dir.parent / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    log(f"held-out perplexity {metrics['heldout_perplexity']} (train slice {metrics['train_slice_perplexity']})")


if __name__ == "__main__":
    main()
