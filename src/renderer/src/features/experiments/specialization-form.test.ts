// The "New specialization" form: adapters per part, decoding overrides, conversion to CreateSpecialization.
import { describe, expect, it } from 'vitest';
import type { AdapterRecord } from '../../../../shared/contract';
import {
  adaptersFor,
  decodingSummary,
  emptySpecializationForm,
  specFieldOfWhere,
  toCreateSpecialization,
  withAdapterDefaults,
} from './specialization-form';

const adapter = (id: string, modelId: string, method: AdapterRecord['method']) =>
  ({ id, modelId, method }) as AdapterRecord;

describe('specialization form', () => {
  it('fills an empty template with the one the chosen adapter was trained with, and its soft prompt when it has both parts', () => {
    const trained = { templateId: 't', templateVersionId: 't-v2' };
    const chosen = { ...emptySpecializationForm('m'), loraAdapterId: 'c' };
    expect(withAdapterDefaults(chosen, adapter('c', 'm', 'both'), trained)).toMatchObject({
      templateId: 't',
      templateVersionId: 't-v2',
      softPromptAdapterId: 'c',
    });
    expect(withAdapterDefaults({ ...chosen, loraAdapterId: 'a' }, adapter('a', 'm', 'lora'), trained)).toMatchObject({
      templateVersionId: 't-v2',
      softPromptAdapterId: '',
    });
    // A template already chosen stays; an adapter trained without a saved template changes nothing.
    const own = { ...chosen, templateId: 'u', templateVersionId: 'u-v1' };
    expect(withAdapterDefaults(own, adapter('c', 'm', 'both'), trained)).toMatchObject({
      templateId: 'u',
      templateVersionId: 'u-v1',
    });
    expect(withAdapterDefaults(chosen, adapter('c', 'm', 'both'), null)).toMatchObject({
      templateId: '',
      templateVersionId: '',
    });
  });

  it('offers adapters of the chosen model that give the part', () => {
    const all = [
      adapter('a', 'm', 'lora'),
      adapter('b', 'm', 'soft-prompt'),
      adapter('c', 'm', 'both'),
      adapter('d', 'other', 'lora'),
    ];
    expect(adaptersFor(all, 'm', 'lora').map((a) => a.id)).toEqual(['a', 'c']);
    expect(adaptersFor(all, 'm', 'softPrompt').map((a) => a.id)).toEqual(['b', 'c']);
  });

  it('is greedy by default and sends only what was set', () => {
    const f = {
      ...emptySpecializationForm('m'),
      name: 'Triage v1',
      templateVersionId: 't1',
      maxNewTokens: '48',
      stopStrings: '\\n\n###',
    };
    expect(toCreateSpecialization(f)).toEqual({
      arg: {
        name: 'Triage v1',
        modelId: 'm',
        loraAdapterId: null,
        softPromptAdapterId: null,
        templateVersionId: 't1',
        demonstrationSetVersionId: null,
        decoding: { do_sample: false, max_new_tokens: 48, stop_strings: ['\n', '###'] },
      },
    });
  });

  it('sends the sampling settings when sampling, and reports bad ones at their field', () => {
    const f = { ...emptySpecializationForm('m'), name: 'S', doSample: true };
    expect(toCreateSpecialization(f)).toMatchObject({
      arg: { decoding: { do_sample: true, temperature: 0.7, top_p: 0.95, seed: 0 } },
    });
    const bad = toCreateSpecialization({ ...f, name: '', topP: '2', maxNewTokens: 'x' });
    expect(bad).toMatchObject({ errors: { name: 'A name is required', maxNewTokens: 'must be a number' } });
    expect((bad as { errors: { topP?: string } }).errors.topP).toMatch(/at most 1/);
  });

  it('maps server errors to fields and summarises decoding', () => {
    expect(specFieldOfWhere('loraAdapterId')).toBe('loraAdapterId');
    expect(specFieldOfWhere('specializations.create: decoding.top_p')).toBe('topP');
    expect(specFieldOfWhere('abc')).toBeUndefined();
    expect(decodingSummary({ do_sample: false, max_new_tokens: 64, stop_strings: ['\n'] })).toBe(
      'greedy · 64 new tokens · 1 stop string',
    );
  });
});
