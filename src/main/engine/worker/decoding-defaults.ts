// A model's own decoding defaults: generation_config.json (do_sample, temperature, top_k, top_p, repetition_penalty,
// max_new_tokens) and its end-of-sequence ids, mapped onto DecodingSettings. A value DecodingSettings would refuse
// (e.g. temperature 0, which transformers reads as greedy) is left out rather than failing every generation.
import { DecodingSettings, parseDecodingSettings, type DecodingOverrides } from '../../../shared/decoding-settings';
import type { Checkpoint } from '../models';

type Mapped = 'do_sample' | 'temperature' | 'top_k' | 'top_p' | 'repetition_penalty' | 'max_new_tokens';
const MAPPED: readonly Mapped[] = [
  'do_sample',
  'temperature',
  'top_k',
  'top_p',
  'repetition_penalty',
  'max_new_tokens',
];

export function decodingDefaults(checkpoint: Pick<Checkpoint, 'generation_config' | 'eosTokenIds'>): DecodingOverrides {
  const config = checkpoint.generation_config ?? {};
  const out: Record<string, unknown> = {};
  for (const key of MAPPED) {
    const value = config[key];
    if (value === null || value === undefined) continue;
    if (DecodingSettings.shape[key].safeParse(value).success) out[key] = value;
  }
  if (config.temperature === 0) out.do_sample = false;
  if (checkpoint.eosTokenIds.length > 0) out.eos_token_id = [...checkpoint.eosTokenIds];
  return out as DecodingOverrides;
}

/** The settings a generation uses: the model's defaults, then the caller's overrides; errors name the field. */
export function resolveSettings(
  checkpoint: Pick<Checkpoint, 'generation_config' | 'eosTokenIds'>,
  overrides: DecodingOverrides,
): DecodingSettings {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return parseDecodingSettings({ ...decodingDefaults(checkpoint), ...given });
}
