"""Writes a tiny random Llama checkpoint with reference outputs from transformers and PEFT, for the engine's
oracle tests: base logits, logits with a LoRA adapter, logits with a prompt-tuning soft prompt, greedy tokens.

Untied lm_head, grouped-query attention (4 query heads, 2 kv heads), fp32 everywhere. Needs torch, transformers
and peft (the GPU machine has them; it runs on the CPU). Seeded; the output folder is committed as produced.

  python3 tools/reference/make_peft_fixture.py --out src/main/engine/train/__fixtures__/tiny-llama
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch

SEED = 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    import peft
    import transformers
    from peft import LoraConfig, PromptTuningConfig, TaskType, get_peft_model
    from safetensors.torch import save_file
    from transformers import LlamaConfig, LlamaForCausalLM

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(SEED)
    cfg = LlamaConfig(vocab_size=128, hidden_size=64, intermediate_size=96, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, head_dim=16, max_position_embeddings=64,
                      rope_theta=10000.0, rms_norm_eps=1e-5, tie_word_embeddings=False,
                      bos_token_id=1, eos_token_id=2, pad_token_id=0)
    model = LlamaForCausalLM(cfg).eval()
    with torch.no_grad():  # larger than the default init, so logits differ clearly between tokens
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.copy_(1 + 0.1 * torch.randn_like(p))
            else:
                p.normal_(0, 0.15)
    model.save_pretrained(out / "model", safe_serialization=True)

    g = torch.Generator().manual_seed(SEED)
    input_ids = torch.randint(3, cfg.vocab_size, (2, 12), generator=g)
    with torch.no_grad():
        base = model(input_ids).logits
        seq = input_ids[:1]
        for _ in range(8):  # plain argmax loop: no eos, no generation_config defaults
            seq = torch.cat([seq, model(seq).logits[:, -1:].argmax(-1)], dim=1)
        greedy = seq[0, 12:]

    lora_cfg = LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, bias="none", task_type=TaskType.CAUSAL_LM,
                          target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])
    lora = get_peft_model(model, lora_cfg).eval()
    with torch.no_grad():  # PEFT starts lora_B at zero (a no-op); make the adapter do something
        for name, p in lora.named_parameters():
            if "lora_" in name:
                p.copy_(0.2 * torch.randn(p.shape, generator=g))
        lora_logits = lora(input_ids).logits
    lora.save_pretrained(out / "lora")
    model = lora.unload().eval()

    pt_cfg = PromptTuningConfig(task_type=TaskType.CAUSAL_LM, num_virtual_tokens=4)
    pt = get_peft_model(model, pt_cfg).eval()
    with torch.no_grad():
        for name, p in pt.named_parameters():
            if "prompt_encoder" in name:
                p.copy_(0.5 * torch.randn(p.shape, generator=g))
        pt_logits = pt(input_ids).logits  # (B, 4 + T, V): the virtual tokens come first
    pt.save_pretrained(out / "soft-prompt")

    save_file({"input_ids": input_ids.contiguous(), "logits": base.contiguous(), "lora_logits": lora_logits.contiguous(),
               "soft_prompt_logits": pt_logits.contiguous(), "greedy_ids": greedy.contiguous()},
              str(out / "expected.safetensors"), metadata={"format": "pt"})
    (out / "expected.json").write_text(json.dumps({
        "about": "Reference outputs of transformers/PEFT for model/ (fp32, CPU). expected.safetensors holds "
                 "input_ids (2, 12) I64; logits (2, 12, 128); lora_logits with lora/ applied; soft_prompt_logits "
                 "(2, 16, 128) with soft-prompt/ prepended (4 virtual tokens first); greedy_ids (8,) from "
                 "input_ids[0] with no eos.",
        "transformers": transformers.__version__, "peft": peft.__version__, "torch": torch.__version__,
        "input_ids": input_ids.tolist(), "greedy_ids": greedy.tolist(),
        "logits_0_0_first8": [round(float(x), 5) for x in base[0, 0, :8]],
        "lora_logits_0_0_first8": [round(float(x), 5) for x in lora_logits[0, 0, :8]],
    }, indent=2) + "\n")
    print(f"wrote {out}: base |logits| max {float(base.abs().max()):.3f}, "
          f"lora changes logits by {float((lora_logits - base).abs().max()):.3f}")


if __name__ == "__main__":
    main()
