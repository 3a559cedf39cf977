"""Trains the demo model's byte-level BPE tokenizer on the corpus and writes tokenizer.json and
tokenizer_config.json (special tokens and the ChatML chat template) into the model folder.

Needs the `tokenizers` package (present on the GPU machine). Deterministic for a given corpus and vocab size.

  python3 tools/demo-model/train_tokenizer.py --corpus work/corpus --out work/model --vocab-size 8192
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]  # ids 0, 1, 2

# ChatML, as Qwen2 and SmolLM2 use it; corpus_text.render_chat writes the same text.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def texts(corpus: Path, every: int):
    with open(corpus / "train.jsonl", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i % every == 0:
                t = json.loads(line)["text"]
                for s in SPECIAL_TOKENS:
                    t = t.replace(s, "\n")  # special tokens are whole tokens, never merged into others
                yield t


def tokenizer_config(max_length: int) -> dict:
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": max_length,
        "bos_token": None,
        "eos_token": "<|im_end|>",
        "pad_token": "<|endoftext|>",
        "unk_token": None,
        "clean_up_tokenization_spaces": False,
        "added_tokens_decoder": {
            str(i): {"content": t, "lstrip": False, "normalized": False, "rstrip": False, "single_word": False,
                     "special": True}
            for i, t in enumerate(SPECIAL_TOKENS)
        },
        "chat_template": CHAT_TEMPLATE,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--vocab-size", type=int, default=8192)
    ap.add_argument("--every", type=int, default=2, help="train on every n-th corpus document")
    ap.add_argument("--max-length", type=int, default=512)
    args = ap.parse_args()

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=args.vocab_size, min_frequency=2, special_tokens=SPECIAL_TOKENS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(texts(Path(args.corpus), args.every), trainer=trainer)
    for i, t in enumerate(SPECIAL_TOKENS):
        assert tok.token_to_id(t) == i, (t, tok.token_to_id(t))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tok.save(str(out / "tokenizer.json"))
    (out / "tokenizer_config.json").write_text(json.dumps(tokenizer_config(args.max_length), indent=2) + "\n")
    print(f"tokenizer: vocab {tok.get_vocab_size()} -> {out / 'tokenizer.json'}")


if __name__ == "__main__":
    main()
