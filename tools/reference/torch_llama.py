"""The one Llama decoder written by hand in PyTorch, with Hugging Face's weight names and numerics (RMSNorm in fp32,
rotate-half RoPE, grouped-query attention, SwiGLU MLP, optional tied embeddings). Fixtures use transformers itself
(hf_reference.py); this exists where transformers cannot serve: pretraining the demo model
(tools/demo-model/pretrain.py), checking it on a machine without transformers (check.py), and the benchmarks'
PyTorch side (torch_generate.py with its own KV cache, torch_train.py with LoRA and a soft prompt), which build their
forward from rms_norm / rope_cos_sin / apply_rope below. verify_hf.py compares its logits with transformers'.
Runs on torch 1.13 (Debian) and torch 2.x. Shapes: B batch, T time, C hidden, H heads, K kv heads, D head dim.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class LlamaConfig:
    vocab_size: int = 8192
    hidden_size: int = 256
    intermediate_size: int = 768
    num_hidden_layers: int = 8
    num_attention_heads: int = 8
    num_key_value_heads: int = 2
    max_position_embeddings: int = 512
    rope_theta: float = 10000.0
    rms_norm_eps: float = 1e-5
    tie_word_embeddings: bool = True
    head_dim: int = 0  # 0 (or a config's null): hidden_size / num_attention_heads

    def __post_init__(self) -> None:
        self.head_dim = self.head_dim or self.hidden_size // self.num_attention_heads

    @classmethod
    def from_hf(cls, d: dict) -> "LlamaConfig":
        """A config.json; transformers 5 writes rope_theta inside rope_parameters."""
        d = {**d.get("rope_parameters", {}), **d}
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})


class RMSNorm(nn.Module):
    def __init__(self, C: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(C))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return rms_norm(x, self.weight, self.eps)


def rms_norm(x: torch.Tensor, weight: torch.Tensor, eps: float) -> torch.Tensor:
    dtype = x.dtype
    x = x.float()
    x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps)
    return weight * x.to(dtype)


def rope_cos_sin(cfg: LlamaConfig, T: int, device=None, start: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """cos, sin (T, D) for positions start .. start + T - 1 (rope_theta, no scaling)."""
    D = cfg.head_dim
    inv_freq = 1.0 / (cfg.rope_theta ** (torch.arange(0, D, 2, dtype=torch.int64, device=device).float() / D))
    t = torch.arange(start, start + T, device=device, dtype=torch.float32)
    freqs = torch.outer(t, inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)  # (T, D)
    return emb.cos(), emb.sin()


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def apply_rope(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """x (..., T, D) rotated by the angles of rope_cos_sin."""
    return x * cos + rotate_half(x) * sin


class LlamaWeights:
    """A checkpoint's config and weights by HF key, for the forwards the benchmarks write around them."""

    def __init__(self, cfg: dict, w: dict[str, torch.Tensor]):
        self.cfg = LlamaConfig.from_hf(cfg)
        self.H, self.KV, self.D = self.cfg.num_attention_heads, self.cfg.num_key_value_heads, self.cfg.head_dim
        self.L, self.eps = self.cfg.num_hidden_layers, self.cfg.rms_norm_eps
        self.w = w
        self.lm_head = w.get("lm_head.weight", w["model.embed_tokens.weight"])

    def norm(self, x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
        return rms_norm(x, weight, self.eps)


class Attention(nn.Module):
    def __init__(self, cfg: LlamaConfig):
        super().__init__()
        C, H, K, D = cfg.hidden_size, cfg.num_attention_heads, cfg.num_key_value_heads, cfg.head_dim
        self.H, self.K, self.D = H, K, D
        self.q_proj = nn.Linear(C, H * D, bias=False)
        self.k_proj = nn.Linear(C, K * D, bias=False)
        self.v_proj = nn.Linear(C, K * D, bias=False)
        self.o_proj = nn.Linear(H * D, C, bias=False)

    def forward(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        B, T, _ = x.shape
        q = self.q_proj(x).view(B, T, self.H, self.D).transpose(1, 2)  # (B, H, T, D)
        k = self.k_proj(x).view(B, T, self.K, self.D).transpose(1, 2)  # (B, K, T, D)
        v = self.v_proj(x).view(B, T, self.K, self.D).transpose(1, 2)
        cos, sin = cos.to(q.dtype), sin.to(q.dtype)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        # query head h reads kv head h // (H / K), as transformers' repeat_kv
        k = k.repeat_interleave(self.H // self.K, dim=1)
        v = v.repeat_interleave(self.H // self.K, dim=1)
        if hasattr(F, "scaled_dot_product_attention"):
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            att = (q @ k.transpose(-2, -1)) / math.sqrt(self.D)
            mask = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
            att = att.masked_fill(~mask, float("-inf")).softmax(-1)
            y = att @ v
        return self.o_proj(y.transpose(1, 2).reshape(B, T, self.H * self.D))


class MLP(nn.Module):
    def __init__(self, cfg: LlamaConfig):
        super().__init__()
        self.gate_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.up_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.down_proj = nn.Linear(cfg.intermediate_size, cfg.hidden_size, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    def __init__(self, cfg: LlamaConfig):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.mlp = MLP(cfg)

    def forward(self, x, cos, sin):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin)
        return x + self.mlp(self.post_attention_layernorm(x))


class Model(nn.Module):
    def __init__(self, cfg: LlamaConfig):
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList(DecoderLayer(cfg) for _ in range(cfg.num_hidden_layers))
        self.norm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)


class LlamaForCausalLM(nn.Module):
    """state_dict() keys are transformers' (model.layers.0.self_attn.q_proj.weight, ...)."""

    def __init__(self, cfg: LlamaConfig):
        super().__init__()
        self.cfg = cfg
        self.model = Model(cfg)
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)
        if cfg.tie_word_embeddings:
            self.lm_head.weight = self.model.embed_tokens.weight

    def init_weights(self, seed: int, std: float = 0.02) -> None:
        g = torch.Generator().manual_seed(seed)
        for name, p in sorted(self.named_parameters()):
            if name.endswith("layernorm.weight") or name == "model.norm.weight":
                nn.init.ones_(p)
            else:
                # residual-branch outputs scaled down with depth (GPT-2)
                s = std / math.sqrt(2 * self.cfg.num_hidden_layers) if name.endswith(("o_proj.weight",
                                                                                      "down_proj.weight")) else std
                with torch.no_grad():
                    p.copy_(torch.randn(p.shape, generator=g) * s)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        """input_ids (B, T) -> logits (B, T, V), fp32."""
        B, T = input_ids.shape
        cos, sin = rope_cos_sin(self.cfg, T, input_ids.device)
        x = self.model.embed_tokens(input_ids)
        for layer in self.model.layers:
            x = layer(x, cos, sin)
        return self.lm_head(self.model.norm(x)).float()

    def hf_state_dict(self) -> dict[str, torch.Tensor]:
        sd = self.state_dict()
        if self.cfg.tie_word_embeddings:
            sd.pop("lm_head.weight")
        return sd

    def load_hf_state_dict(self, sd: dict[str, torch.Tensor]) -> None:
        sd = dict(sd)
        if self.cfg.tie_word_embeddings:
            sd["lm_head.weight"] = sd["model.embed_tokens.weight"]
        missing, unexpected = self.load_state_dict(sd, strict=False)
        if missing or unexpected:
            raise ValueError(f"weights do not match the config: missing {missing}, unexpected {unexpected}")
        if self.cfg.tie_word_embeddings:
            self.lm_head.weight = self.model.embed_tokens.weight


@torch.no_grad()
def greedy(model: LlamaForCausalLM, ids: list[int], max_new_tokens: int, eos: set[int]) -> list[int]:
    """Greedy decoding without a cache (the model is small): recomputes the whole prefix each step."""
    out = list(ids)
    dev = next(model.parameters()).device
    for _ in range(max_new_tokens):
        ctx = out[-model.cfg.max_position_embeddings:]
        logits = model(torch.tensor([ctx], device=dev))[0, -1]
        nxt = int(logits.argmax())
        out.append(nxt)
        if nxt in eos:
            break
    return out[len(ids):]
