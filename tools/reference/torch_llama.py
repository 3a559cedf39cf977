"""The plain-torch Llama pieces the benchmarks' PyTorch side shares (torch_generate.py, torch_train.py): config,
weights by HF key, RMSNorm and rotary embedding as transformers' LlamaModel computes them (rope_theta, no scaling).
"""
from __future__ import annotations

import torch


class LlamaBase:
    def __init__(self, cfg: dict, w: dict[str, torch.Tensor]):
        self.C, self.H, self.KV = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
        self.D = cfg.get("head_dim") or self.C // self.H
        self.L, self.eps = cfg["num_hidden_layers"], cfg["rms_norm_eps"]
        self.inv_freq = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, self.D, 2, dtype=torch.float32) / self.D))
        self.w = w
        self.lm_head = w.get("lm_head.weight", w["model.embed_tokens.weight"])

    def norm(self, x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
        return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))

    def rope(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        h = x.shape[-1] // 2
        return x * cos + torch.cat((-x[..., h:], x[..., :h]), dim=-1) * sin

    def cos_sin(self, start: int, length: int) -> tuple[torch.Tensor, torch.Tensor]:
        """cos, sin [1, 1, length, D] for positions start .. start + length - 1."""
        freqs = torch.arange(start, start + length, dtype=torch.float32)[:, None] * self.inv_freq[None]
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos()[None, None], emb.sin()[None, None]
