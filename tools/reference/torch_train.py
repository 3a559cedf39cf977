"""PyTorch eager reference for bench/train.ts: one training mode (LoRA on q and v, soft prompt, or both) on the same
checkpoint, batch and step count, timed the same way; prints one JSON object on stdout (tokens/s, peak RSS of this
process). Llama forward as transformers' modeling_llama (fp32, causal, GQA by repeat_kv), PEFT LoRA written by hand
on --targets (x @ A.T @ B.T * alpha / r, B = 0 at init), prompt tuning as PeftModelForCausalLM (virtual embeddings first, labels
-100 there), HF-shifted mean cross-entropy, torch.optim.AdamW. Run with any torch (bench/train takes the Python from DOVETAIL_BENCH_PYTHON).
"""
from __future__ import annotations

import argparse
import json
import math
import resource
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


class TrainLlama(LlamaWeights):
    """torch_llama's pieces with the LoRA applied in linear()."""

    def __init__(self, cfg: dict, w: dict[str, torch.Tensor], lora: dict[str, torch.Tensor] | None, scaling: float):
        super().__init__(cfg, w)
        self.lora, self.scaling = lora, scaling

    def linear(self, h: torch.Tensor, prefix: str) -> torch.Tensor:
        y = F.linear(h, self.w[f"{prefix}.weight"])
        if self.lora is not None and f"{prefix}.A" in self.lora:
            y = y + F.linear(F.linear(h, self.lora[f"{prefix}.A"]), self.lora[f"{prefix}.B"]) * self.scaling
        return y

    def logits(self, ids: torch.Tensor, soft: torch.Tensor | None) -> torch.Tensor:
        """ids [B, T] (no padding) -> logits [B, n+T, V]."""
        B, T = ids.shape
        x = F.embedding(ids, self.w["model.embed_tokens.weight"])
        if soft is not None:
            x = torch.cat((soft[None].expand(B, -1, -1), x), dim=1)
        S = x.shape[1]
        cos, sin = rope_cos_sin(self.cfg, S)  # [S, D]
        mask = torch.full((S, S), float("-inf")).triu(1)
        G = self.H // self.KV
        for i in range(self.L):
            p = f"model.layers.{i}"
            h = self.norm(x, self.w[f"{p}.input_layernorm.weight"])
            q = self.linear(h, f"{p}.self_attn.q_proj").view(B, S, self.H, self.D).transpose(1, 2)
            k = self.linear(h, f"{p}.self_attn.k_proj").view(B, S, self.KV, self.D).transpose(1, 2)
            v = self.linear(h, f"{p}.self_attn.v_proj").view(B, S, self.KV, self.D).transpose(1, 2)
            q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
            k = k[:, :, None].expand(B, self.KV, G, S, self.D).reshape(B, self.H, S, self.D)
            v = v[:, :, None].expand(B, self.KV, G, S, self.D).reshape(B, self.H, S, self.D)
            scores = q @ k.transpose(2, 3) / math.sqrt(self.D) + mask
            ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, S, -1)
            x = x + self.linear(ctx, f"{p}.self_attn.o_proj")
            h = self.norm(x, self.w[f"{p}.post_attention_layernorm.weight"])
            gate = self.linear(h, f"{p}.mlp.gate_proj")
            x = x + self.linear(F.silu(gate) * self.linear(h, f"{p}.mlp.up_proj"), f"{p}.mlp.down_proj")
        return F.linear(self.norm(x, self.w["model.norm.weight"]), self.lm_head)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--mode", choices=["lora", "soft", "joint"], required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--rank", type=int, default=8)
    ap.add_argument("--alpha", type=int, default=16)
    ap.add_argument("--virtual", type=int, default=20)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--targets", default="q_proj,v_proj", help="LoRA target modules, comma-separated (q_proj,k_proj,v_proj,o_proj)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    folder = Path(a.model)
    cfg = json.loads((folder / "config.json").read_text())
    w = load_safetensors(folder / "model.safetensors")
    C = cfg["hidden_size"]
    D = cfg.get("head_dim") or C // cfg["num_attention_heads"]
    params: list[torch.Tensor] = []
    lora = None
    if a.mode in ("lora", "joint"):
        lora = {}
        q, kv = cfg["num_attention_heads"] * D, cfg["num_key_value_heads"] * D
        sizes = {"q_proj": (C, q), "k_proj": (C, kv), "v_proj": (C, kv), "o_proj": (q, C)}  # (in, out)
        outs = {m: sizes[m] for m in a.targets.split(",")}
        for i in range(cfg["num_hidden_layers"]):
            for m, (fan_in, out) in outs.items():
                A = ((torch.rand(a.rank, fan_in) * 2 - 1) / math.sqrt(fan_in)).requires_grad_(True)
                B = torch.zeros(out, a.rank, requires_grad=True)
                lora[f"model.layers.{i}.self_attn.{m}.A"], lora[f"model.layers.{i}.self_attn.{m}.B"] = A, B
                params += [A, B]
    soft = None
    if a.mode in ("soft", "joint"):
        soft = (torch.randn(a.virtual, C) * 0.02).requires_grad_(True)
        params.append(soft)
    model = TrainLlama(cfg, w, lora, a.alpha / a.rank)
    opt = torch.optim.AdamW(params, lr=1e-4, weight_decay=0.01)
    ids = torch.randint(0, cfg["vocab_size"], (a.batch, a.seq), generator=torch.Generator().manual_seed(1))
    labels = ids if soft is None else torch.cat((torch.full((a.batch, a.virtual), -100), ids), dim=1)

    def step() -> float:
        start = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        logits = model.logits(ids, soft)
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), labels[:, 1:].reshape(-1), ignore_index=-100)
        loss.backward()
        opt.step()
        return time.perf_counter() - start

    for _ in range(a.warmup):
        step()
    seconds = [step() for _ in range(a.steps)]
    tok = a.batch * a.seq
    print(json.dumps({
        "torch": torch.__version__, "threads": torch.get_num_threads(), "mode": a.mode,
        "tok_s": tok / statistics.median(seconds), "tok_s_all": [tok / s for s in seconds],
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
