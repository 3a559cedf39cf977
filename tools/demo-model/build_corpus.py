"""Builds the demo model's pretraining corpus from WordNet 3.0: one JSON object per line, {"text", "kind"}.

Plain python3, no packages. Deterministic: the same WordNet files and seed give the same bytes (the manifest
records their SHA-256). 1% of synsets (chosen by a stable hash) are held out: their own documents and chats go
to heldout.jsonl only, for measuring perplexity on text the model never trained on.

  python3 tools/demo-model/build_corpus.py --wordnet /usr/share/wordnet --out tools/demo-model/work/corpus
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "wordnet"))
from wndb import WordNet, stable_hash  # noqa: E402
from corpus_text import Renderer  # noqa: E402

HELDOUT_PERCENT = 1
CHAT_RATE = 0.5  # chance, per synset and variant, of one chat about it


def is_heldout(key: str) -> bool:
    return stable_hash(f"heldout:{key}") % 100 < HELDOUT_PERCENT


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wordnet", default="/usr/share/wordnet", help="folder with WordNet 3.0 data.* and index.*")
    ap.add_argument("--out", required=True)
    ap.add_argument("--variants", type=int, default=3,
                    help="renderings of each synset, with different sentence templates and order")
    ap.add_argument("--common-variants", type=int, default=3,
                    help="extra renderings (and a chat each time) for tagged, i.e. common, synsets")
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args()

    wn = WordNet(args.wordnet, check_hashes=True)
    synsets = wn.in_order()
    heldout = {s.key for s in synsets if is_heldout(s.key)}
    r = Renderer(wn)
    all_keys = [s.key for s in synsets]

    train: list[dict] = []
    held: list[dict] = []
    for v in range(args.variants + args.common_variants):
        for s in synsets:
            common = s.key in wn.tagged
            if v >= args.variants and not common:
                continue
            rng = random.Random(f"{args.seed}:{v}:{s.key}")
            doc = {"text": r.synset_doc(s, rng), "kind": "synset"}
            chat = {"text": r.chat_doc(s, rng, all_keys), "kind": "chat"} \
                if common or rng.random() < CHAT_RATE else None
            if s.key in heldout:
                if v == 0:
                    held.append(doc)
                    if chat:
                        held.append(chat)
                continue
            train.append(doc)
            if chat:
                train.append(chat)
    for pos in "nvar":
        for lemma, keys in sorted(wn.index[pos].items()):
            keys = [k for k in keys if k not in heldout]
            if len(keys) >= 2:
                train.append({"text": r.entry_doc(lemma, keys, random.Random(f"{args.seed}:{lemma}")),
                              "kind": "entry"})
    random.Random(args.seed).shuffle(train)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    manifest = {"seed": args.seed, "variants": args.variants, "common_variants": args.common_variants,
                "heldout_percent": HELDOUT_PERCENT, "synsets": len(synsets), "common_synsets": len(wn.tagged),
                "heldout_synsets": len(heldout), "files": {}}
    for name, docs in (("train.jsonl", train), ("heldout.jsonl", held)):
        data = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs).encode("utf-8")
        (out / name).write_bytes(data)
        kinds: dict[str, int] = {}
        for d in docs:
            kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
        manifest["files"][name] = {"docs": len(docs), "kinds": kinds, "bytes": len(data),
                                   "words": sum(len(d["text"].split()) for d in docs),
                                   "sha256": hashlib.sha256(data).hexdigest()}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
