// A short list of small models worth starting from on the Hub, with their size, licence and an estimate of their
// generation speed on a laptop-class CPU. Sizes are the safetensors checkpoints as published (BF16 unless said).

export interface CatalogueModel {
  readonly repo: string;
  readonly label: string;
  /** Parameters, embeddings included (what a decoding step reads). */
  readonly parameters: number;
  /** The checkpoint's safetensors bytes, about. */
  readonly bytes: number;
  readonly licence: string;
  /** The Hub asks you to accept the licence (and so an access token) before it serves the files. */
  readonly gated: boolean;
  /** config.json's architecture. */
  readonly architecture: string;
  readonly note: string;
}

/**
 * Generating one token reads every weight once, so on a CPU decoding is bound by memory bandwidth: tokens/s is about
 * the bandwidth over the bytes of the weights. We assume 8 GB/s, what two cores of a laptop-class CPU sustain, and F32
 * weights (how F16/BF16 checkpoints run on CPUs); 8-bit and 4-bit copies measured 2-3x faster. An estimate, not a
 * measurement: the real figure depends on the machine and how busy it is.
 */
export const ESTIMATE_BANDWIDTH_BYTES_PER_SECOND = 8e9;
const F32_BYTES = 4;

export function estimatedTokensPerSecond(parameters: number): number {
  return ESTIMATE_BANDWIDTH_BYTES_PER_SECOND / (parameters * F32_BYTES);
}

export const HUB_CATALOGUE: readonly CatalogueModel[] = [
  {
    repo: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    label: 'SmolLM2 135M Instruct',
    parameters: 134.5e6,
    bytes: 269e6,
    licence: 'Apache-2.0',
    gated: false,
    architecture: 'LlamaForCausalLM',
    note: 'The quickest to train and try; English.',
  },
  {
    repo: 'HuggingFaceTB/SmolLM2-360M-Instruct',
    label: 'SmolLM2 360M Instruct',
    parameters: 361.8e6,
    bytes: 724e6,
    licence: 'Apache-2.0',
    gated: false,
    architecture: 'LlamaForCausalLM',
    note: 'A good first choice for classification and extraction tasks.',
  },
  {
    repo: 'HuggingFaceTB/SmolLM2-1.7B-Instruct',
    label: 'SmolLM2 1.7B Instruct',
    parameters: 1.71e9,
    bytes: 3.42e9,
    licence: 'Apache-2.0',
    gated: false,
    architecture: 'LlamaForCausalLM',
    note: 'Better writing; training is slow on a laptop.',
  },
  {
    repo: 'Qwen/Qwen2.5-0.5B-Instruct',
    label: 'Qwen2.5 0.5B Instruct',
    parameters: 494e6,
    bytes: 988e6,
    licence: 'Apache-2.0',
    gated: false,
    architecture: 'Qwen2ForCausalLM',
    note: 'Many languages; good at JSON output.',
  },
  {
    repo: 'Qwen/Qwen2.5-1.5B-Instruct',
    label: 'Qwen2.5 1.5B Instruct',
    parameters: 1.54e9,
    bytes: 3.09e9,
    licence: 'Apache-2.0',
    gated: false,
    architecture: 'Qwen2ForCausalLM',
    note: 'Many languages; stronger reasoning than 0.5B.',
  },
  {
    repo: 'meta-llama/Llama-3.2-1B-Instruct',
    label: 'Llama 3.2 1B Instruct',
    parameters: 1.24e9,
    bytes: 2.47e9,
    licence: 'Llama 3.2 Community License',
    gated: true,
    architecture: 'LlamaForCausalLM',
    note: 'Gated: accept the licence on the Hub and set an access token.',
  },
  {
    repo: 'Qwen/Qwen3-0.6B',
    label: 'Qwen3 0.6B',
    parameters: 752e6,
    bytes: 1.5e9,
    licence: 'Apache-2.0',
    gated: false,
    architecture: 'Qwen3ForCausalLM',
    note: 'Newest Qwen at this size; thinks aloud unless told not to.',
  },
  {
    repo: 'microsoft/Phi-3.5-mini-instruct',
    label: 'Phi-3.5 mini Instruct',
    parameters: 3.82e9,
    bytes: 7.64e9,
    licence: 'MIT',
    gated: false,
    architecture: 'Phi3ForCausalLM',
    note: 'The largest here: strong, but slow on a CPU; use 4-bit weights.',
  },
  {
    repo: 'google/gemma-2-2b-it',
    label: 'Gemma 2 2B Instruct',
    parameters: 2.61e9,
    bytes: 5.23e9,
    licence: 'Gemma Terms of Use',
    gated: true,
    architecture: 'Gemma2ForCausalLM',
    note: 'Gated: accept the licence on the Hub and set an access token.',
  },
  {
    repo: 'google/gemma-3-1b-it',
    label: 'Gemma 3 1B Instruct',
    parameters: 1.0e9,
    bytes: 2.0e9,
    licence: 'Gemma Terms of Use',
    gated: true,
    architecture: 'Gemma3ForCausalLM',
    note: 'Gated: accept the licence on the Hub and set an access token.',
  },
];
