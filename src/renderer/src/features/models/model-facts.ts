// The facts the details panel lists, as label/value rows under Hugging Face's names where the user may know them
// from config.json. Pure, so the wording is easy to check.
import type { ModelRecord } from '../../../../shared/contract';
import { formatBytes, formatCount, formatParameters } from './format';

export interface Fact {
  readonly key: string;
  readonly label: string;
  readonly value: string;
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

export function architectureFacts(m: ModelRecord): Fact[] {
  const c = m.config;
  const s = c.rope_scaling;
  const from = s?.original_max_position_embeddings
    ? ` (from ${formatCount(s.original_max_position_embeddings)} positions)`
    : '';
  const rope = s
    ? `theta ${c.rope_theta}, ${s.rope_type} scaling ×${s.factor}${from}`
    : `theta ${c.rope_theta}, no scaling`;
  return [
    { key: 'architecture', label: 'Architecture', value: `${c.architecture} (${c.model_type})` },
    {
      key: 'parameters',
      label: 'Parameters',
      value: `${formatParameters(m.parameters)} (${formatCount(m.parameters)})`,
    },
    { key: 'size', label: 'Size on disk', value: formatBytes(m.bytesOnDisk) },
    { key: 'dtype', label: 'Weights dtype', value: m.dtype },
    { key: 'context', label: 'Context length', value: `${formatCount(m.contextLength)} tokens` },
    {
      key: 'hidden',
      label: 'Hidden size / MLP size',
      value: `${formatCount(c.hidden_size)} / ${formatCount(c.intermediate_size)}`,
    },
    { key: 'layers', label: 'Layers', value: String(c.num_hidden_layers) },
    {
      key: 'heads',
      label: 'Attention heads / key-value heads',
      value: `${c.num_attention_heads} / ${c.num_key_value_heads}`,
    },
    { key: 'head-dim', label: 'Head dimension', value: String(c.head_dim) },
    { key: 'vocab', label: 'Vocabulary (config)', value: formatCount(c.vocab_size) },
    { key: 'rope', label: 'Rotary positions (RoPE)', value: rope },
    { key: 'tied', label: 'Tied input/output embeddings', value: yesNo(c.tie_word_embeddings) },
    { key: 'bias', label: 'Attention bias', value: yesNo(c.attention_bias) },
    ...(c.sliding_window !== null
      ? [{ key: 'window', label: 'Sliding window', value: `${formatCount(c.sliding_window)} tokens` }]
      : []),
  ];
}

export function tokenizerFacts(m: ModelRecord): Fact[] {
  const t = m.tokenizer;
  const token = (s: { token: string; id: number } | null) => (s ? `${s.token} (${s.id})` : 'none');
  return [
    { key: 'tok-vocab', label: 'Vocabulary', value: `${formatCount(t.vocabSize)} tokens` },
    {
      key: 'tok-chat',
      label: 'Chat template',
      value: t.hasChatTemplate ? 'yes (chat mode available)' : 'no (raw completion only)',
    },
    { key: 'tok-bos', label: 'Beginning of text', value: token(t.specialTokens.bos) },
    { key: 'tok-eos', label: 'End of text', value: token(t.specialTokens.eos) },
    { key: 'tok-pad', label: 'Padding', value: token(t.specialTokens.pad) },
    { key: 'tok-unk', label: 'Unknown', value: token(t.specialTokens.unk) },
    { key: 'tok-stop', label: 'Stops generation at ids', value: t.eosTokenIds.join(', ') || 'none' },
    ...(t.modelMaxLength !== null
      ? [{ key: 'tok-max', label: 'Tokenizer max length', value: formatCount(t.modelMaxLength) }]
      : []),
  ];
}
