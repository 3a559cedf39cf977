"""Reference numbers for the data cards: how the bundled demo model does on each demo task's test split as is
(zero-shot and 3-shot) and after a small LoRA trained on the train split (transformers + PEFT, GPU).

Not part of the app: the app trains its own adapters. This only shows that the tasks are learnable by this model
and what a LoRA should roughly reach. Prompts are the ones the data cards suggest.

  python3 tools/demo-datasets/lora_probe.py --model resources/models/dovetail-wordnet-13m --out probe.json
"""
from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parent.parent.parent
TASKS = {
    "support-triage": {
        "instruction": "Triage this support message. Reply with a JSON object with the keys category, priority "
                       "and summary.\n\nMessage:\n{message}",
    },
    "wordnet-supersense": {
        "instruction": "Give the WordNet supersense of the word in this sense.\nWord: {word} ({pos})\n"
                       "Definition: {definition}",
    },
}


def load(task: str, split: str) -> list[dict]:
    path = REPO / "resources" / "datasets" / task / f"{split}.jsonl"
    return [json.loads(line) for line in open(path, encoding="utf-8")]


def messages(task: str, row: dict, shots: list[dict]) -> list[dict]:
    msgs = []
    for s in shots:
        msgs += [{"role": "user", "content": TASKS[task]["instruction"].format(**s)},
                 {"role": "assistant", "content": s["output"]}]
    return msgs + [{"role": "user", "content": TASKS[task]["instruction"].format(**row)}]


def score(task: str, rows: list[dict], outs: list[str]) -> dict:
    n = len(rows)
    if task == "wordnet-supersense":
        return {"n": n, "accuracy": round(sum(o.strip() == r["output"] for r, o in zip(rows, outs)) / n, 4)}
    valid = cat = pri = summ = exact = 0
    for r, o in zip(rows, outs):
        try:
            d = json.loads(o)
            assert isinstance(d, dict)
        except (ValueError, AssertionError):
            continue
        valid += 1
        cat += d.get("category") == r["category"]
        pri += d.get("priority") == r["priority"]
        summ += d.get("summary") == r["summary"]
        exact += o.strip() == r["output"]
    return {"n": n, "valid_json": round(valid / n, 4), "category": round(cat / n, 4),
            "priority": round(pri / n, 4), "summary_exact": round(summ / n, 4), "exact": round(exact / n, 4)}


@torch.no_grad()
def generate(model, tok, prompts: list[str], device, max_new_tokens: int) -> list[str]:
    model.eval()
    outs = []
    for i in range(0, len(prompts), 64):
        batch = [tok(p, add_special_tokens=False)["input_ids"][-(512 - max_new_tokens):] for p in prompts[i:i + 64]]
        width = max(len(b) for b in batch)
        ids = torch.tensor([[0] * (width - len(b)) + b for b in batch], device=device)  # left padding
        mask = torch.tensor([[0] * (width - len(b)) + [1] * len(b) for b in batch], device=device)
        gen = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=max_new_tokens, do_sample=False,
                             eos_token_id=[2, 0], pad_token_id=0)
        outs += [tok.decode([t for t in g[width:].tolist() if t not in (0, 2)]) for g in gen]
    return outs


def train_lora(model, tok, task: str, rows: list[dict], device, epochs: int, seed: int):
    from peft import LoraConfig, get_peft_model
    cfg = LoraConfig(r=16, lora_alpha=32, lora_dropout=0.05, bias="none", task_type="CAUSAL_LM",
                     target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])
    model = get_peft_model(model, cfg)
    examples = []
    for r in rows:
        prompt = tok.apply_chat_template(messages(task, r, []), tokenize=False, add_generation_prompt=True)
        p = tok(prompt, add_special_tokens=False)["input_ids"]
        t = tok(r["output"] + "<|im_end|>", add_special_tokens=False)["input_ids"]
        examples.append(((p + t)[:512], ([-100] * len(p) + t)[:512]))  # loss on the answer only
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-3, weight_decay=0.0)
    rng = random.Random(seed)
    steps, bs = 0, 32
    total = epochs * ((len(examples) + bs - 1) // bs)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 20) * max(0.0, 1 - s / total))
    model.train()
    for _ in range(epochs):
        rng.shuffle(examples)
        for i in range(0, len(examples), bs):
            batch = examples[i:i + bs]
            width = max(len(x) for x, _ in batch)
            ids = torch.tensor([x + [0] * (width - len(x)) for x, _ in batch], device=device)
            labels = torch.tensor([y + [-100] * (width - len(y)) for _, y in batch], device=device)
            mask = torch.tensor([[1] * len(x) + [0] * (width - len(x)) for x, _ in batch], device=device)
            with torch.autocast("cuda", dtype=torch.bfloat16):
                loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            loss.backward()
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            steps += 1
    return model, steps, float(loss)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args()
    from transformers import AutoModelForCausalLM, AutoTokenizer

    device = torch.device("cuda")
    tok = AutoTokenizer.from_pretrained(args.model)
    results = {}
    for task in TASKS:
        torch.manual_seed(args.seed)
        train, test = load(task, "train"), load(task, "test")
        shots = random.Random(args.seed).sample(train, 3)
        max_new = 64 if task == "support-triage" else 12

        def prompts(k):
            return [tok.apply_chat_template(messages(task, r, shots[:k]), tokenize=False, add_generation_prompt=True)
                    for r in test]
        model = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32).to(device)
        res = {}
        t0 = time.time()
        outs0 = generate(model, tok, prompts(0), device, max_new)
        res["base_zero_shot"] = score(task, test, outs0)
        res["base_3_shot"] = score(task, test, generate(model, tok, prompts(3), device, max_new))
        model, steps, last_loss = train_lora(model, tok, task, train, device, args.epochs, args.seed)
        outs = generate(model, tok, prompts(0), device, max_new)
        res["lora_zero_shot"] = score(task, test, outs)
        res["lora"] = {"r": 16, "lora_alpha": 32, "epochs": args.epochs, "steps": steps, "batch": 32, "lr": 1e-3,
                       "last_loss": round(last_loss, 4), "seconds": round(time.time() - t0, 1)}
        res["examples"] = [{"input": test[i].get("message") or test[i]["word"], "expected": test[i]["output"],
                            "base": outs0[i], "lora": outs[i]} for i in range(3)]
        results[task] = res
        print(task, json.dumps({k: v for k, v in res.items() if k != "examples"}), flush=True)
    Path(args.out).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
