// Decoding settings: defaults, messages that name the field, and the canonical serialization used for hashing.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors';
import { canonicalDecodingSettings, eosTokenIds, parseDecodingSettings } from './settings';

function errorOf(input: unknown): UserError {
  try {
    parseDecodingSettings(input);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('DecodingSettings', () => {
  it('fills HF-like defaults (greedy, top_k 50, everything else off)', () => {
    expect(parseDecodingSettings({})).toEqual({
      do_sample: false,
      temperature: 1,
      top_k: 50,
      top_p: 1,
      repetition_penalty: 1,
      max_new_tokens: 256,
      stop_strings: [],
      seed: 0,
      ignore_eos: false,
      skip_special_tokens: true,
    });
    expect(parseDecodingSettings(undefined).max_new_tokens).toBe(256);
  });

  it('names the field and says what is allowed', () => {
    const topP = errorOf({ top_p: 0 });
    expect(topP.message).toContain('top_p: must be greater than 0 and at most 1 (1 turns top-p off)');
    expect(topP.where).toBe('decoding settings: top_p');
    expect(topP.code).toBe('decoding-settings');
    expect(errorOf({ temperature: 0 }).message).toContain(
      'temperature: must be greater than 0 (for deterministic output set do_sample to false instead)',
    );
    expect(errorOf({ seed: 2 ** 32 }).message).toContain('seed: must be a whole number from 0 to 4294967295');
    expect(errorOf({ seed: -1 }).message).toContain('seed:');
    expect(errorOf({ top_k: 1.5 }).message).toContain('top_k: must be a whole number');
    expect(errorOf({ max_new_tokens: 0 }).message).toContain('max_new_tokens: must be at least 1');
    expect(errorOf({ stop_strings: ['ok', ''] }).message).toContain('stop_strings.1: must not be empty');
    expect(errorOf({ min_p: 2 }).message).toContain('min_p: must be between 0 and 1');
    expect(errorOf({ temperature: Number.NaN }).message).toContain('temperature: must be a number');
  });

  it('rejects unknown settings, listing the known ones', () => {
    const error = errorOf({ topP: 0.9 });
    expect(error.message).toContain('unknown setting "topP" (known: do_sample, temperature, top_k, top_p');
    expect(error.where).toBe('decoding settings: topP');
  });

  it('reports several problems at once', () => {
    const message = errorOf({ top_k: -1, repetition_penalty: 0 }).message;
    expect(message).toContain('top_k:');
    expect(message).toContain('repetition_penalty:');
  });

  it('picks the eos ids: override, else the model, none when ignore_eos', () => {
    expect(eosTokenIds(parseDecodingSettings({}), [2, 7])).toEqual([2, 7]);
    expect(eosTokenIds(parseDecodingSettings({ eos_token_id: 5 }), [2])).toEqual([5]);
    expect(eosTokenIds(parseDecodingSettings({ eos_token_id: [5, 6] }), [2])).toEqual([5, 6]);
    expect(eosTokenIds(parseDecodingSettings({ ignore_eos: true }), [2])).toEqual([]);
  });
});

describe('canonicalDecodingSettings', () => {
  it('writes every value with sorted keys, whatever order they came in', () => {
    const a = canonicalDecodingSettings({ top_p: 0.9, do_sample: true, seed: 3 });
    const b = canonicalDecodingSettings({ seed: 3, do_sample: true, top_p: 0.9, top_k: 50 });
    expect(a).toBe(b);
    expect(a).toBe(
      '{"do_sample":true,"ignore_eos":false,"max_new_tokens":256,"repetition_penalty":1,"seed":3,"skip_special_tokens":true,' +
        '"stop_strings":[],"temperature":1,"top_k":50,"top_p":0.9}',
    );
  });

  it('treats stop strings and eos ids as sets', () => {
    const a = canonicalDecodingSettings({ stop_strings: ['\n\n', 'User:', '\n\n'], eos_token_id: [9, 2, 9] });
    const b = canonicalDecodingSettings({ stop_strings: ['User:', '\n\n'], eos_token_id: [2, 9] });
    expect(a).toBe(b);
    expect(canonicalDecodingSettings({ eos_token_id: 2 })).toBe(canonicalDecodingSettings({ eos_token_id: [2] }));
  });

  it('differs when a value differs', () => {
    expect(canonicalDecodingSettings({ min_p: 0.05 })).not.toBe(canonicalDecodingSettings({}));
    expect(canonicalDecodingSettings({ seed: 1 })).not.toBe(canonicalDecodingSettings({ seed: 2 }));
  });
});
