"""Generates the support-ticket triage demo dataset: a customer message in, a JSON object out
({"category", "priority", "summary"} in `output`, {"category", "priority"} in `ticket`). Plain python3, seeded: the same seed gives the same bytes.

Test messages use core phrasings and urgency cues never seen in training (triage_templates.py says how they are
split), so a model must generalise rather than recall. Priority follows one documented rule: the scenario's base
priority, one level up with an urgency cue, one level down with a calm cue.

  python3 tools/demo-datasets/triage.py --out resources/datasets/support-triage
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from triage_extra import EXTRA_TRAIN_CORE  # noqa: E402
from triage_templates import (CLOSINGS, CONTEXT, CUES, DISTRACTORS, GREETINGS, NAMES,  # noqa: E402
                              PRIORITIES, SCENARIOS, SLOTS)

SIZES = {"train": 2000, "validation": 300, "test": 400}
TYPO_RATE = 0.3       # share of messages with typos
TYPO_WORD_RATE = 0.08  # share of eligible words changed in such a message


def core_templates(scenario: dict, split: str, extra: bool) -> list[str]:
    core = scenario["core"]
    more = EXTRA_TRAIN_CORE[scenario["id"]] if extra else []
    return {"train": core[:-3] + more, "validation": core[-3:-2], "test": core[-2:]}[split]


def template_name(scenario: dict, template: str) -> str:
    if template in scenario["core"]:
        return f"{scenario['id']}/{scenario['core'].index(template)}"
    return f"{scenario['id']}/x{EXTRA_TRAIN_CORE[scenario['id']].index(template)}"


def fill_slots(rng: random.Random) -> tuple[dict, dict]:
    """Values as the customer writes them (message) and as the summary states them (normalised)."""
    digits = str(rng.randint(10000, 99999))
    inv = f"INV-{rng.randint(2023, 2025)}-{rng.randint(1, 9999):04d}"
    amount = rng.choice([9.99, 19.0, 24.5, 49.0, 79.99, 120.0, 249.0, 15.0, 35.75])
    currency = rng.choice(["$", "€", "£"])
    msg = {k: rng.choice(v) for k, v in SLOTS.items()}
    norm = dict(msg)
    msg["order"] = rng.choice([f"#{digits}", digits, f"no. {digits}", f"#{digits}", f"nr {digits}"])
    norm["order"] = f"#{digits}"
    msg["invoice"] = rng.choice([inv, inv, inv.lower(), inv.replace("-", " ")])
    norm["invoice"] = inv
    msg["amount"] = rng.choice([f"{currency}{amount:.2f}", f"{amount:.2f} {currency}", f"{currency}{amount:g}"])
    norm["amount"] = msg["amount"]
    return msg, norm


def add_typos(text: str, rng: random.Random, protected: set[str]) -> str:
    words = text.split(" ")
    for i, w in enumerate(words):
        core = w.strip(".,!?:;()")
        if len(core) < 4 or not core.isalpha() or core.lower() in protected or rng.random() > TYPO_WORD_RATE:
            continue
        j = rng.randrange(len(core) - 1)
        op = rng.choice(["swap", "drop", "double", "swap"])
        if op == "swap":
            new = core[:j] + core[j + 1] + core[j] + core[j + 2:]
        elif op == "drop":
            new = core[:j] + core[j + 1:]
        else:
            new = core[:j] + core[j] + core[j:]
        words[i] = w.replace(core, new, 1)
    return " ".join(words)


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def make_row(scenario: dict, split: str, rng: random.Random, extra: bool) -> dict:
    msg_slots, norm_slots = fill_slots(rng)
    templates = core_templates(scenario, split, extra)
    template = templates[rng.randrange(len(templates))]
    core = cap(template.format(**msg_slots))
    base = PRIORITIES.index(scenario["priority"])
    cue_kind = rng.choices(["none", "up", "down"], weights=[0.5, 0.25, 0.25])[0]
    level = base
    parts_after = []
    if cue_kind != "none":
        cue = rng.choice(CUES[cue_kind][split])
        parts_after.append(cue)
        level = min(3, base + 1) if cue_kind == "up" else max(0, base - 1)
    context = rng.choice(CONTEXT).format(years=rng.randint(2, 12))
    before = [context] if context and rng.random() < 0.35 else []
    if rng.random() < 0.4:
        distractor = rng.choice([d for c, d in DISTRACTORS if c != scenario["category"]])
        (before if rng.random() < 0.5 else parts_after).insert(0, distractor)
    rng.shuffle(parts_after)
    body = " ".join(before + [core] + parts_after)
    protected = {w.lower().strip(".,") for v in msg_slots.values() for w in str(v).split()}
    typos = rng.random() < TYPO_RATE
    if typos:
        body = add_typos(body, rng, protected)
        if rng.random() < 0.3:
            body = body.rstrip(".!")
    greeting, closing = rng.choice(GREETINGS), rng.choice(CLOSINGS)
    lines = [x for x in [greeting, body] if x]
    if closing:
        lines.append(closing + (" " + rng.choice(NAMES) if closing.endswith(",") else ""))
    message = rng.choice(["\n", " ", "\n\n"]).join(lines)
    label = {"category": scenario["category"], "priority": PRIORITIES[level],
             "summary": scenario["summary"].format(**norm_slots)}
    return {
        "message": message,
        "output": json.dumps(label, ensure_ascii=False),
        # The short framing the demo trains on: the two decisions, without the free-text summary.
        "ticket": json.dumps({"category": label["category"], "priority": label["priority"]}),
        **label,
        "scenario": scenario["id"],
        "template": template_name(scenario, template),
        "cue": cue_kind,
        "typos": typos,
    }


def generate(seed: int, extra: bool, sizes: dict[str, int] = SIZES) -> dict[str, list[dict]]:
    out = {}
    for split, n in sizes.items():
        rng = random.Random(f"triage:{seed}:{split}")
        rows = [make_row(SCENARIOS[i % len(SCENARIOS)], split, rng, extra) for i in range(n)]
        rng.shuffle(rows)
        out[split] = [{"id": f"triage-{split}-{i:04d}", **r} for i, r in enumerate(rows)]
    return out


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=20240501)
    ap.add_argument("--train-rows", type=int, default=SIZES["train"])
    ap.add_argument("--no-extra", action="store_true", help="train on the 5 core phrasings per scenario only")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for split, rows in generate(args.seed, not args.no_extra, {**SIZES, "train": args.train_rows}).items():
        write_jsonl(out / f"{split}.jsonl", rows)
        print(f"{split}: {len(rows)} rows")


if __name__ == "__main__":
    main()
