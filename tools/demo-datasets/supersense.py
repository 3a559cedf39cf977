"""Generates the WordNet supersense demo dataset: a word, its part of speech and one of its definitions in, the
synset's lexicographer file (supersense, e.g. "noun.animal") out. Plain python3, seeded, from WordNet 3.0.

Words are split by lemma (a stable hash), so no test word appears in training with any sense. Labels are the 41
noun and verb supersenses; each split is sampled with an equal quota per label where WordNet has enough synsets.
The demo model read these definitions in pretraining, but never a supersense name.

  python3 tools/demo-datasets/supersense.py --wordnet /usr/share/wordnet --out resources/datasets/wordnet-supersense
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "wordnet"))
from wndb import LEXNAMES, POS_NAMES, WordNet, display, stable_hash  # noqa: E402

SIZES = {"train": 3000, "validation": 400, "test": 600}
LABELS = [n for n in LEXNAMES if n.startswith(("noun.", "verb."))]


def split_of(lemma: str, seed: int) -> str:
    h = stable_hash(f"supersense:{seed}:{lemma.lower()}") % 10
    return "test" if h == 0 else "validation" if h == 1 else "train"


def generate(wn: WordNet, seed: int) -> dict[str, list[dict]]:
    # candidates: one (lemma, synset) per lemma and label, single-sense-per-row, noun and verb synsets only
    by_split: dict[str, dict[str, list[tuple[str, str]]]] = {s: {l: [] for l in LABELS} for s in SIZES}
    for s in wn.in_order():
        if s.pos not in "nv" or not s.definition:
            continue
        for w in s.words:
            by_split[split_of(w, seed)][s.lexname].append((w, s.key))
    out = {}
    for split, n in SIZES.items():
        rng = random.Random(f"supersense:{seed}:{split}")
        quota = -(-n // len(LABELS))
        pools = {l: sorted(c) for l, c in by_split[split].items()}
        for pool in pools.values():
            rng.shuffle(pool)
        used_lemmas: set[str] = set()
        rows, leftovers = [], []
        for label in LABELS:
            taken = 0
            for lemma, key in pools[label]:
                if lemma.lower() in used_lemmas:
                    continue
                if taken < quota:
                    rows.append((lemma, key))
                    used_lemmas.add(lemma.lower())
                    taken += 1
                else:
                    leftovers.append((lemma, key))
        rng.shuffle(leftovers)
        for lemma, key in leftovers:  # fill up from the big labels
            if len(rows) >= n:
                break
            if lemma.lower() not in used_lemmas:
                rows.append((lemma, key))
                used_lemmas.add(lemma.lower())
        rows = rows[:n]
        rng.shuffle(rows)
        out[split] = []
        for i, (lemma, key) in enumerate(rows):
            s = wn.synsets[key]
            out[split].append({
                "id": f"supersense-{split}-{i:04d}", "word": display(lemma), "pos": POS_NAMES[s.pos],
                "definition": s.definition, "output": s.lexname, "synset": key,
            })
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wordnet", default="/usr/share/wordnet")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=20240501)
    args = ap.parse_args()
    wn = WordNet(args.wordnet, check_hashes=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for split, rows in generate(wn, args.seed).items():
        (out / f"{split}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                            encoding="utf-8")
        print(f"{split}: {len(rows)} rows")
    (out / "labels.json").write_text(json.dumps(LABELS, indent=2) + "\n")


if __name__ == "__main__":
    main()
