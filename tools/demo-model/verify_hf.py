"""Checks the exported demo model folder against the reference loader (transformers + tokenizers) and writes the
greedy-generation fixture that the app's tests compare with.

Checks: AutoTokenizer gives the same ids as tokenizers and round-trips text; apply_chat_template gives the text the
corpus was written with; LlamaForCausalLM's logits equal tools/reference/torch_llama.py's; greedy generation is the same in both.
Needs transformers (the GPU machine has it); runs on the CPU in fp32 so the fixture is what a CPU engine sees.

  python3 tools/demo-model/verify_hf.py --model work/model --fixture work/greedy.json
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reference"))  # torch_llama, safetensors_io
from corpus_text import render_chat  # noqa: E402
from torch_llama import LlamaConfig, LlamaForCausalLM, greedy  # noqa: E402
from safetensors_io import load_folder  # noqa: E402

TEXTS = [
    "A violin is a kind of bowed stringed instrument.",
    "  leading spaces, UPPER case, digits 12345 and punctuation!?\n\tTabs too.",
    "Unicode: café, naïve, Zürich, 東京, emoji 🙂.",
    "<|im_start|>user\nWhat does dog mean?<|im_end|>\n<|im_start|>assistant\n",
]

FIXTURE_CASES = [
    ("chat", [{"role": "user", "content": "What does lighthouse mean?"}]),
    ("chat", [{"role": "system", "content": "You are a concise dictionary assistant."},
              {"role": "user", "content": "Give a synonym of happy."}]),
    ("text", "A violin is a kind of"),
]
MAX_NEW_TOKENS = 32


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--fixture", required=True)
    args = ap.parse_args()
    import tokenizers
    import transformers
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = Path(args.model)
    failures = []

    def check(ok: bool, what: str) -> None:
        print(("ok   " if ok else "FAIL ") + what, flush=True)
        if not ok:
            failures.append(what)

    raw = tokenizers.Tokenizer.from_file(str(folder / "tokenizer.json"))
    tok = AutoTokenizer.from_pretrained(folder)
    for t in TEXTS:
        ids = tok(t, add_special_tokens=False)["input_ids"]
        check(ids == raw.encode(t, add_special_tokens=False).ids, f"AutoTokenizer ids == tokenizers ids: {t!r}")
        check(tok.decode(ids) == t, f"decode(encode(x)) == x: {t!r}")
    msgs = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Define dog."},
            {"role": "assistant", "content": "A dog is a domestic animal."}, {"role": "user", "content": "And cat?"}]
    rendered = tok.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True)
    check(rendered == render_chat(msgs) + "<|im_start|>assistant\n", "chat template renders the corpus's ChatML")

    try:
        hf = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32)
    except TypeError:
        hf = AutoModelForCausalLM.from_pretrained(folder, torch_dtype=torch.float32)
    hf.eval()
    cfg = LlamaConfig.from_hf(json.loads((folder / "config.json").read_text()))
    ours = LlamaForCausalLM(cfg)
    ours.load_hf_state_dict({k: v.float() for k, v in load_folder(folder).items()})
    ours.eval()
    n_hf = sum(p.numel() for p in hf.parameters())
    check(n_hf == sum(p.numel() for p in ours.parameters()), f"parameter count {n_hf}")

    ids = torch.tensor([raw.encode(TEXTS[0] + " " + TEXTS[3]).ids])
    with torch.no_grad():
        a = hf(ids).logits.float()
        b = ours(ids)
    diff = float((a - b).abs().max())
    check(diff < 1e-3, f"logits: transformers vs torch_llama.py max |diff| {diff:.2e}")

    eos = [2, 0]
    cases = []
    for kind, prompt in FIXTURE_CASES:
        text = tok.apply_chat_template(prompt, tokenize=False, add_generation_prompt=True) if kind == "chat" else prompt
        input_ids = tok(text, add_special_tokens=False)["input_ids"]
        with torch.no_grad():
            out = hf.generate(torch.tensor([input_ids]), attention_mask=torch.ones(1, len(input_ids), dtype=torch.long),
                              max_new_tokens=MAX_NEW_TOKENS, do_sample=False, eos_token_id=eos, pad_token_id=0)
        gen = out[0, len(input_ids):].tolist()
        check(gen == greedy(ours, input_ids, MAX_NEW_TOKENS, set(eos)), f"greedy tokens equal: {text!r}")
        with torch.no_grad():
            last = hf(torch.tensor([input_ids])).logits[0, -1].float()
        top = torch.topk(last, 5)
        cases.append({
            "kind": kind, "messages" if kind == "chat" else "prompt": prompt, "prompt_text": text,
            "input_ids": input_ids, "generated_ids": gen, "generated_text": tok.decode(gen),
            "last_position_top5": {"ids": top.indices.tolist(), "logits": [round(float(x), 4) for x in top.values]},
        })
        print(f"     {text!r} -> {tok.decode(gen)!r}")
    fixture = {
        "about": "Greedy generation of the bundled demo model by transformers' LlamaForCausalLM on the CPU in fp32 "
                 "(F16 weights upcast), with eos_token_id [2, 0] and max_new_tokens " + str(MAX_NEW_TOKENS) + ". "
                 "Written by tools/demo-model/verify_hf.py.",
        "transformers": transformers.__version__, "torch": torch.__version__,
        "eos_token_id": eos, "max_new_tokens": MAX_NEW_TOKENS, "cases": cases,
    }
    Path(args.fixture).write_text(json.dumps(fixture, indent=2, ensure_ascii=False) + "\n")
    print(f"{len(failures)} failed" if failures else "all checks passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
