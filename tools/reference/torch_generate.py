"""PyTorch reference for bench/generate.ts: the same checkpoint, shapes and token counts, timed the same way; prints
one JSON object on stdout. Eager Llama forward as transformers' modeling_llama (fp32, KV cache grown with torch.cat
as DynamicCache does, GQA by grouping query heads), greedy decoding. Run with Debian's torch: /usr/bin/python3.
"""
from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
from safetensors_io import read_file as load_safetensors  # noqa: E402
from torch_llama import LlamaWeights, apply_rope, rope_cos_sin  # noqa: E402


class Llama(LlamaWeights):
    """torch_llama's pieces with the KV cache handled here."""

    def forward(self, ids: torch.Tensor, past: list | None) -> tuple[torch.Tensor, list]:
        """ids [B, T] -> last-position logits [B, V] and the grown cache (per layer [B, Hkv, P+T, D] key, value)."""
        B, T = ids.shape
        P = 0 if past is None else past[0][0].shape[2]
        G = self.H // self.KV
        x = F.embedding(ids, self.w["model.embed_tokens.weight"])
        cos, sin = rope_cos_sin(self.cfg, T, start=P)  # [T, D]
        mask = None
        if T > 1:
            mask = torch.full((T, P + T), float("-inf")).triu(P + 1)
        present = []
        for i in range(self.L):
            p = f"model.layers.{i}"
            h = self.norm(x, self.w[f"{p}.input_layernorm.weight"])
            q = F.linear(h, self.w[f"{p}.self_attn.q_proj.weight"]).view(B, T, self.H, self.D).transpose(1, 2)
            k = F.linear(h, self.w[f"{p}.self_attn.k_proj.weight"]).view(B, T, self.KV, self.D).transpose(1, 2)
            v = F.linear(h, self.w[f"{p}.self_attn.v_proj.weight"]).view(B, T, self.KV, self.D).transpose(1, 2)
            q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
            if past is not None:
                k = torch.cat((past[i][0], k), dim=2)
                v = torch.cat((past[i][1], v), dim=2)
            present.append((k, v))
            qg = q.reshape(B, self.KV, G * T, self.D)  # heads kv*G+g, as repeat_kv orders them
            scores = qg @ k.transpose(2, 3) / math.sqrt(self.D)  # [B, Hkv, G*T, K]
            if mask is not None:
                scores = scores.view(B, self.KV, G, T, -1) + mask
                scores = scores.view(B, self.KV, G * T, -1)
            ctx = (scores.softmax(-1) @ v).view(B, self.H, T, self.D).transpose(1, 2).reshape(B, T, -1)
            x = x + F.linear(ctx, self.w[f"{p}.self_attn.o_proj.weight"])
            h = self.norm(x, self.w[f"{p}.post_attention_layernorm.weight"])
            gate = F.linear(h, self.w[f"{p}.mlp.gate_proj.weight"])
            x = x + F.linear(F.silu(gate) * F.linear(h, self.w[f"{p}.mlp.up_proj.weight"]), self.w[f"{p}.mlp.down_proj.weight"])
        x = self.norm(x[:, -1], self.w["model.norm.weight"])
        return F.linear(x, self.lm_head), present


def decode_rate(model: Llama, batch: int, context: int, tokens: int) -> float:
    """Tokens/s (all rows) of `tokens` greedy steps after a prefill of `context` (>= 1) tokens."""
    ids = torch.randint(0, 300, (batch, max(context, 1)), generator=torch.Generator().manual_seed(1))
    logits, past = model.forward(ids, None)
    start = time.perf_counter()
    for _ in range(tokens):
        nxt = logits.argmax(-1, keepdim=True)
        logits, past = model.forward(nxt, past)
    return batch * tokens / (time.perf_counter() - start)


def prefill_rate(model: Llama, length: int) -> float:
    ids = torch.randint(0, 300, (1, length), generator=torch.Generator().manual_seed(2))
    start = time.perf_counter()
    model.forward(ids, None)
    return length / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--prefill", type=int, default=512)
    ap.add_argument("--decode", type=int, default=32)
    ap.add_argument("--context", type=int, default=1000)
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    folder = Path(a.model)
    model = Llama(json.loads((folder / "config.json").read_text()), load_safetensors(folder / "model.safetensors"))
    median = lambda f: statistics.median(f() for _ in range(a.reps))  # noqa: E731
    with torch.inference_mode():
        decode_rate(model, 1, 1, 4)  # warm-up
        prefill_rate(model, a.prefill)  # the first prompt of a new length is cold, as in bench/generate
        result = {
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "prefill_tok_s": median(lambda: prefill_rate(model, a.prefill)),
            "decode_b1_tok_s": median(lambda: decode_rate(model, 1, 1, a.decode)),
            "decode_b8_tok_s": median(lambda: decode_rate(model, 8, 1, a.decode)),
            "decode_ctx_tok_s": median(lambda: decode_rate(model, 1, a.context, a.decode)),
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
