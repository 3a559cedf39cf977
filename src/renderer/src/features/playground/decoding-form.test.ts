// The Playground's decoding form: defaults are greedy, values convert to the contract's overrides, and each bad
// value is reported at its own field.
import { describe, expect, it } from 'vitest';
import { parseDecodingSettings } from '../../../../shared/contract';
import { fieldOfServerError, formFromDefaults, overridesFromForm, summary } from './decoding-form';

const defaults = formFromDefaults(
  parseDecodingSettings({ do_sample: true, temperature: 0.7, top_p: 0.9, eos_token_id: [2] }),
);

describe('decoding form', () => {
  it('starts greedy with the model sampling values ready and a random seed', () => {
    expect(defaults).toMatchObject({
      do_sample: false,
      temperature: '0.7',
      top_p: '0.9',
      top_k: '50',
      max_new_tokens: '256',
      seed: '',
    });
    expect(overridesFromForm(defaults)).toEqual({
      settings: { do_sample: false, ignore_eos: false, repetition_penalty: 1, max_new_tokens: 256, stop_strings: [] },
    });
    expect(summary(defaults)).toBe('Greedy · up to 256 new tokens');
  });

  it('sends sampling values, stop strings and a seed when given', () => {
    const form = { ...defaults, do_sample: true, stop_strings: '\n###\nEND', seed: '42' };
    expect(overridesFromForm(form)).toEqual({
      settings: {
        do_sample: true,
        ignore_eos: false,
        temperature: 0.7,
        top_k: 50,
        top_p: 0.9,
        repetition_penalty: 1,
        max_new_tokens: 256,
        stop_strings: ['###', 'END'],
        seed: 42,
      },
    });
    expect(summary(form)).toBe(
      'Sampling (temperature 0.7, top-k 50, top-p 0.9) · up to 256 new tokens · 2 stop strings · seed 42',
    );
  });

  it('names each bad field', () => {
    const form = { ...defaults, do_sample: true, temperature: '0', top_p: 'x', max_new_tokens: '', seed: '-1' };
    const out = overridesFromForm(form);
    expect('errors' in out && out.errors).toEqual({
      temperature: expect.stringContaining('greater than 0'),
      top_p: 'must be a number',
      max_new_tokens: 'Enter a number',
      seed: expect.stringContaining('whole number'),
    });
    expect(overridesFromForm({ ...defaults, temperature: '0' })).toHaveProperty('settings'); // greedy: not checked
  });

  it('maps server validation errors to the form field', () => {
    expect(fieldOfServerError('generation.start: settings.top_p')).toBe('top_p');
    expect(fieldOfServerError('generation.start: prompts.0.text')).toBeUndefined();
    expect(fieldOfServerError(undefined)).toBeUndefined();
  });
});
