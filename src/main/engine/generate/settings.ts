// Decoding settings as the generation loop uses them. The schema, its parser and the canonical serialization live in
// src/shared/decoding-settings.ts (the API contract validates with them too); the eos rule is the engine's own.
import type { DecodingSettings } from '../../../shared/decoding-settings';

export {
  canonicalDecodingSettings,
  DecodingOverrides,
  DecodingSettings,
  parseDecodingSettings,
  type DecodingSettingsInput,
} from '../../../shared/decoding-settings';

/** The eos ids to stop on: the settings' override, else the model's; none when ignore_eos. */
export function eosTokenIds(settings: DecodingSettings, modelEosIds: readonly number[]): number[] {
  if (settings.ignore_eos) return [];
  const ids = settings.eos_token_id;
  if (ids === undefined) return [...modelEosIds];
  return typeof ids === 'number' ? [ids] : [...ids];
}
