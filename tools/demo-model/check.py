"""Checks the committed demo model folder on a machine without transformers (Debian's python3-torch is enough):
config, weight names, shapes and dtypes against the config, shard sizes, tokenizer files, and greedy generation
with tools/reference/torch_llama.py against the fixture that transformers produced
(src/main/engine/models/__fixtures__/demo-model-greedy.json).

  python3 tools/demo-model/check.py            # exits 1 if any check fails
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reference"))  # torch_llama, safetensors_io

DEFAULT_MODEL = REPO / "resources" / "models" / "dovetail-wordnet-13m"
MAX_FILE = 15 * 1024 * 1024
MAX_FOLDER = 30 * 1000 * 1000


def expected_shapes(c: dict) -> dict[str, list[int]]:
    C, I, V, D = c["hidden_size"], c["intermediate_size"], c["vocab_size"], c["head_dim"]
    H, K = c["num_attention_heads"], c["num_key_value_heads"]
    shapes = {"model.embed_tokens.weight": [V, C], "model.norm.weight": [C]}
    if not c["tie_word_embeddings"]:
        shapes["lm_head.weight"] = [V, C]
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        shapes.update({
            p + "input_layernorm.weight": [C], p + "post_attention_layernorm.weight": [C],
            p + "self_attn.q_proj.weight": [H * D, C], p + "self_attn.k_proj.weight": [K * D, C],
            p + "self_attn.v_proj.weight": [K * D, C], p + "self_attn.o_proj.weight": [C, H * D],
            p + "mlp.gate_proj.weight": [I, C], p + "mlp.up_proj.weight": [I, C], p + "mlp.down_proj.weight": [C, I],
        })
    return shapes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=str(DEFAULT_MODEL))
    ap.add_argument("--fixture", default=str(HERE.parent.parent / "src/main/engine/models/__fixtures__/demo-model-greedy.json"))
    ap.add_argument("--no-generate", action="store_true", help="skip the forward passes (no torch needed)")
    ap.add_argument("--rebuild-corpus", metavar="WORDNET", default=None,
                    help="also rebuild the corpus from this WordNet folder (~1 min) and compare its SHA-256 with "
                         "record/corpus-manifest.json")
    args = ap.parse_args()
    folder = Path(args.model)
    failures: list[str] = []

    def check(ok: bool, what: str) -> None:
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    from safetensors_io import INDEX, read_header

    c = json.loads((folder / "config.json").read_text())
    check(c.get("architectures") == ["LlamaForCausalLM"] and c.get("model_type") == "llama", "config: Llama")
    check(c["head_dim"] * c["num_attention_heads"] == c["hidden_size"], "config: head_dim * heads == hidden")
    check(c["num_attention_heads"] % c["num_key_value_heads"] == 0 and
          c["num_key_value_heads"] < c["num_attention_heads"], "config: grouped-query attention")
    check(256 <= c["max_position_embeddings"] <= 512, f"config: context {c['max_position_embeddings']}")

    files = sorted(folder.glob("*.safetensors"))
    headers = {}
    for f in files:
        check(f.stat().st_size <= MAX_FILE, f"{f.name}: {f.stat().st_size} bytes <= 15 MiB")
        h, _ = read_header(f)
        headers.update({k: (v, f.name) for k, v in h.items() if k != "__metadata__"})
    if (folder / INDEX).exists():
        index = json.loads((folder / INDEX).read_text())
        check({k: v for k, (_, v) in headers.items()} == index["weight_map"], "index weight_map matches the shards")
        total = sum(2 * _numel(h["shape"]) for h, _ in headers.values())
        check(index["metadata"]["total_size"] == total, f"index total_size {total}")
    shapes = expected_shapes(c)
    check(set(headers) == set(shapes), f"weight names: {len(headers)} tensors, as the config implies")
    bad = [k for k, (h, _) in headers.items() if k in shapes and (h["shape"] != shapes[k] or h["dtype"] != "F16")]
    check(not bad, f"weight shapes and F16 dtype {bad[:3]}")
    n = sum(_numel(s) for s in shapes.values())
    check(5_000_000 <= n <= 15_000_000, f"parameters {n}")

    tj = json.loads((folder / "tokenizer.json").read_text())
    tc = json.loads((folder / "tokenizer_config.json").read_text())
    vocab = len(tj["model"]["vocab"])
    check(tj["model"]["type"] == "BPE" and tj["pre_tokenizer"]["type"] == "ByteLevel", "tokenizer: byte-level BPE")
    check(vocab == c["vocab_size"], f"tokenizer vocab {vocab} == config vocab_size")
    specials = {t["content"]: t["id"] for t in tj["added_tokens"] if t["special"]}
    check(specials == {"<|endoftext|>": 0, "<|im_start|>": 1, "<|im_end|>": 2}, f"special tokens {specials}")
    check("<|im_start|>" in tc.get("chat_template", "") and tc.get("eos_token") == "<|im_end|>",
          "tokenizer_config: ChatML chat template, eos <|im_end|>")
    g = json.loads((folder / "generation_config.json").read_text())
    check(g.get("eos_token_id") == [2, 0], "generation_config: stops at <|im_end|> and <|endoftext|>")
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    check(size <= MAX_FOLDER, f"folder size {size} bytes")

    if not args.no_generate:
        import torch
        from torch_llama import LlamaConfig, LlamaForCausalLM, greedy
        from safetensors_io import load_folder

        torch.set_num_threads(max(1, torch.get_num_threads()))
        model = LlamaForCausalLM(LlamaConfig.from_hf(c))
        model.load_hf_state_dict({k: v.float() for k, v in load_folder(folder).items()})
        model.eval()
        fixture = json.loads(Path(args.fixture).read_text())
        for case in fixture["cases"]:
            out = greedy(model, case["input_ids"], fixture["max_new_tokens"], set(fixture["eos_token_id"]))
            check(out == case["generated_ids"], f"greedy tokens match the transformers fixture: "
                                                f"{case['prompt_text'][-40:]!r}")
            with torch.no_grad():
                last = model(torch.tensor([case["input_ids"]]))[0, -1]
            want = case["last_position_top5"]
            diff = max(abs(float(last[i]) - v) for i, v in zip(want["ids"], want["logits"]))
            check(diff < 1e-2, f"last-position top-5 logits within 1e-2 of transformers ({diff:.1e})")
    if args.rebuild_corpus:
        import subprocess
        import tempfile
        want = json.loads((HERE / "record" / "corpus-manifest.json").read_text())
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, str(HERE / "build_corpus.py"), "--wordnet", args.rebuild_corpus,
                            "--out", tmp], check=True, stdout=subprocess.DEVNULL)
            got = json.loads((Path(tmp) / "manifest.json").read_text())
        for f in want["files"]:
            check(got["files"][f]["sha256"] == want["files"][f]["sha256"], f"corpus {f} rebuilt byte for byte")
    print(f"{len(failures)} failed" if failures else "all checks passed")
    return 1 if failures else 0


def _numel(shape: list[int]) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


if __name__ == "__main__":
    sys.exit(main())
