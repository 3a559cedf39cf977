"""Recipe search for `npm run demo` (GPU, transformers + PEFT): trains the demo's specializations the way Dovetail does
(rendered template as raw text, loss on the target + EOS, soft prompt as PEFT-style virtual tokens before the prompt,
one AdamW over LoRA and soft prompt, linear warmup then cosine) and scores greedy outputs on the test split with the
demo's metric (the `category` field of the output parsed as JSON). Not part of the app; its figures back decision 0019.

  python3 tools/demo-datasets/recipe_search.py --model resources/models/dovetail-wordnet-13m \
      --data resources/datasets/support-triage --configs configs.json --out results.jsonl
"""
from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import torch

DEFAULT = {
    "name": "demo", "prompt": "Triage this support message as JSON.\nMessage: {message}\nTicket: ", "target": "output",
    "method": "both", "r": 8, "alpha": 16, "targets": ["q_proj", "v_proj"], "n": 8,
    "init_text": "Triage this support message as JSON.", "lr": 2e-3, "batch": 8, "epochs": 1, "warmup": 10,
    "weight_decay": 0.01, "seed": 0, "max_new": 64, "train_rows": None, "test_rows": None, "data": None,
}


def load(folder: Path, split: str) -> list[dict]:
    return [json.loads(line) for line in open(folder / f"{split}.jsonl", encoding="utf-8")]


def target_text(row: dict, kind: str) -> str:
    if kind == "output":
        return row["output"]
    if kind == "cat_pri":
        return json.dumps({"category": row["category"], "priority": row["priority"]})
    if kind == "cat":
        return json.dumps({"category": row["category"]})
    raise ValueError(kind)


def score(rows: list[dict], outs: list[str]) -> dict:
    cat = pri = valid = 0
    for r, o in zip(rows, outs):
        try:
            d = json.loads(o.strip())
        except ValueError:
            continue
        if not isinstance(d, dict):
            continue
        valid += 1
        cat += d.get("category") == r["category"]
        pri += d.get("priority") == r["priority"]
    n = len(rows)
    return {"category": round(cat / n, 4), "priority": round(pri / n, 4), "valid": round(valid / n, 4)}


class Specialized(torch.nn.Module):
    """The base model (optionally with PEFT LoRA) plus a soft prompt of n virtual tokens (None: none)."""

    def __init__(self, model, soft: torch.Tensor | None):
        super().__init__()
        self.model = model
        self.soft = torch.nn.Parameter(soft) if soft is not None else None

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        return self.model.get_input_embeddings()(ids)


def run_config(cfg: dict, base_path: str, data_dir: Path, device) -> dict:
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer
    tok = AutoTokenizer.from_pretrained(base_path)
    torch.manual_seed(cfg["seed"])
    folder = Path(cfg["data"]) if cfg["data"] else data_dir
    train, test = load(folder, "train"), load(data_dir, "test")
    if cfg["train_rows"]:
        train = train[: cfg["train_rows"]]
    if cfg["test_rows"]:
        test = test[: cfg["test_rows"]]
    model = AutoModelForCausalLM.from_pretrained(base_path, dtype=torch.float32).to(device)
    for p in model.parameters():
        p.requires_grad_(False)
    use_lora = cfg["method"] in ("lora", "both")
    use_soft = cfg["method"] in ("soft", "both")
    if use_lora:
        model = get_peft_model(model, LoraConfig(r=cfg["r"], lora_alpha=cfg["alpha"], lora_dropout=0.0, bias="none",
                                                 target_modules=cfg["targets"]))
    soft = None
    if use_soft:
        init = tok(cfg["init_text"], add_special_tokens=False)["input_ids"]
        init = (init * math.ceil(cfg["n"] / len(init)))[: cfg["n"]]
        soft = model.get_input_embeddings()(torch.tensor(init, device=device)).detach().clone()
    sm = Specialized(model, soft).to(device)
    params = [p for p in sm.parameters() if p.requires_grad]
    n = cfg["n"] if use_soft else 0
    examples = []
    for r in train:
        p = tok(cfg["prompt"].format(**r), add_special_tokens=True)["input_ids"]
        t = tok(target_text(r, cfg["target"]), add_special_tokens=False)["input_ids"] + [2]
        examples.append((p + t, [-100] * len(p) + t))
    opt = torch.optim.AdamW(params, lr=cfg["lr"], weight_decay=cfg["weight_decay"], betas=(0.9, 0.999), eps=1e-8)
    bs = cfg["batch"]
    per_epoch = math.ceil(len(examples) / bs)
    total = math.ceil(cfg["epochs"] * per_epoch)
    warm = cfg["warmup"]

    def lr_at(s: int) -> float:
        if s < warm:
            return (s + 1) / warm
        return 0.5 * (1 + math.cos(math.pi * (s - warm) / max(1, total - warm)))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_at)
    rng = random.Random(cfg["seed"])
    t0 = time.time()
    step, tokens, losses = 0, 0, []
    sm.train()
    while step < total:
        order = list(range(len(examples)))
        rng.shuffle(order)
        for i in range(0, len(order), bs):
            if step >= total:
                break
            batch = [examples[j] for j in order[i:i + bs]]
            T = max(len(x) for x, _ in batch)
            ids = torch.tensor([x + [0] * (T - len(x)) for x, _ in batch], device=device)
            labels = torch.tensor([[-100] * n + y + [-100] * (T - len(y)) for _, y in batch], device=device)
            mask = torch.tensor([[1] * n + [1] * len(x) + [0] * (T - len(x)) for x, _ in batch], device=device)
            emb = sm.embed(ids)
            if n:
                emb = torch.cat([sm.soft.unsqueeze(0).expand(len(batch), -1, -1), emb], 1)
            pos = torch.arange(n + T, device=device).unsqueeze(0).expand(len(batch), -1)
            loss = sm.model(inputs_embeds=emb, attention_mask=mask, position_ids=pos, labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            tokens += sum(len(x) for x, _ in batch) + n * len(batch)
            losses.append(float(loss))
            step += 1
    train_s = time.time() - t0
    res = {"steps": step, "train_tokens": tokens, "last_loss": round(sum(losses[-10:]) / 10, 4), "train_s": round(train_s, 1)}
    # Cells of the trained specialization: with the template and both parts on, and each part switched off.
    cells = {"full": (True, True)}
    if cfg["method"] == "both":
        cells.update({"lora_only_off_soft": (True, False), "soft_only_off_lora": (False, True)})
    for name, (lora_on, soft_on) in cells.items():
        outs = generate(sm, tok, [cfg["prompt"].format(**r) for r in test], device, cfg["max_new"],
                        lora_on and use_lora, soft_on and use_soft)
        res[name] = score(test, outs)
        if name == "full":
            res["gen_tokens"] = sum(len(tok(o, add_special_tokens=False)["input_ids"]) + 1 for o in outs)
            res["samples"] = outs[:2]
    return res


@torch.no_grad()
def generate(sm: Specialized, tok, prompts: list[str], device, max_new: int, lora_on: bool, soft_on: bool) -> list[str]:
    sm.eval()
    model = sm.model
    ctx = model.disable_adapter() if (hasattr(model, "disable_adapter") and not lora_on) else _null()
    outs = []
    with ctx:
        for i in range(0, len(prompts), 100):
            batch = [tok(p, add_special_tokens=True)["input_ids"] for p in prompts[i:i + 100]]
            n = sm.soft.shape[0] if (soft_on and sm.soft is not None) else 0
            W = max(len(b) for b in batch)
            ids = torch.tensor([[0] * (W - len(b)) + b for b in batch], device=device)
            real = torch.tensor([[0] * (W - len(b)) + [1] * len(b) for b in batch], device=device)
            emb = sm.embed(ids)
            if n:
                # [pad..., virtual, prompt]: virtual tokens directly before the prompt, positions 0..n-1 then n..
                emb = torch.cat([torch.zeros(len(batch), n, emb.shape[-1], device=device), emb], 1)
                mask = torch.cat([torch.zeros(len(batch), n, dtype=torch.long, device=device), real], 1)
                for b, row in enumerate(batch):
                    start = W - len(row)
                    lead = emb[b, n:n + start].clone()
                    emb[b, :start] = lead
                    emb[b, start:start + n] = sm.soft
                    mask[b, :start] = 0
                    mask[b, start:start + n + len(row)] = 1
            else:
                mask = real
            pos = (mask.cumsum(-1) - 1).clamp(min=0)
            out = model(inputs_embeds=emb, attention_mask=mask, position_ids=pos, use_cache=True)
            past = out.past_key_values
            nxt = out.logits[:, -1].argmax(-1)
            done = torch.zeros(len(batch), dtype=torch.bool, device=device)
            gen = []
            for _ in range(max_new):
                gen.append(nxt)
                done |= (nxt == 2) | (nxt == 0)
                if bool(done.all()):
                    break
                mask = torch.cat([mask, torch.ones(len(batch), 1, dtype=torch.long, device=device)], 1)
                pos = pos[:, -1:] + 1
                out = model(inputs_embeds=sm.embed(nxt.unsqueeze(1)), attention_mask=mask, position_ids=pos,
                            past_key_values=past, use_cache=True)
                past = out.past_key_values
                nxt = out.logits[:, -1].argmax(-1)
            g = torch.stack(gen, 1).tolist()
            for row in g:
                keep = []
                for t in row:
                    if t in (0, 2):
                        break
                    keep.append(t)
                outs.append(tok.decode(keep))
    return outs


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--configs", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    configs = json.loads(Path(args.configs).read_text())
    with open(args.out, "a", encoding="utf-8") as f:
        for c in configs:
            cfg = {**DEFAULT, **c}
            t0 = time.time()
            res = run_config(cfg, args.model, Path(args.data), device)
            line = {"config": c, **res, "wall_s": round(time.time() - t0, 1)}
            print(json.dumps(line), flush=True)
            f.write(json.dumps(line) + "\n")
            f.flush()


if __name__ == "__main__":
    main()
