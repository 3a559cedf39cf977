// What the Playground runs from its picks: a model alone, a saved specialization or unsaved parts; the picks a
// "Try it" opens with; saved ids that have gone since are dropped; saved decoding comes back into the form.
import { describe, expect, it } from 'vitest';
import { parseDecodingSettings, PlaygroundSettings, type Specialization } from '../../../../shared/contract';
import { formFromOverrides, overridesFromForm } from './decoding-form';
import { partsOf, picksForAdapter, picksForSpecialization, runKind, withoutStale } from './playground-picks';

const EMPTY = PlaygroundSettings.parse({});

const spec: Specialization = {
  id: 's1',
  name: 'Triage',
  hash: 'h',
  components: ['template', 'lora'],
  derivedFrom: null,
  createdAt: '2026-12-07T00:00:00.000Z',
  modelId: 'm1',
  loraAdapterId: 'a1',
  softPromptAdapterId: null,
  templateVersionId: 't1',
  demonstrationSetVersionId: null,
  decoding: { max_new_tokens: 32 },
};

describe('playground picks', () => {
  it('runs the model alone until a part or a specialization is picked', () => {
    expect(runKind(EMPTY)).toBe('model');
    expect(runKind({ ...EMPTY, templateVersionId: 't1' })).toBe('parts');
    expect(runKind({ ...EMPTY, specializationId: 's1' })).toBe('specialization');
  });

  it('opens an adapter with its model, the parts it gives and the template it was trained with', () => {
    const keep = {
      ...EMPTY,
      promptMode: 'raw' as const,
      decoding: { max_new_tokens: 12 },
      specializationId: 's9',
      demonstrationSetVersionId: 'd1',
    };
    expect(picksForAdapter({ id: 'a1', modelId: 'm1', method: 'lora' }, 't1', keep)).toEqual({
      ...keep,
      specializationId: null,
      modelId: 'm1',
      loraAdapterId: 'a1',
      softPromptAdapterId: null,
      templateVersionId: 't1',
      demonstrationSetVersionId: null,
    });
    expect(picksForAdapter({ id: 'a2', modelId: 'm1', method: 'both' }, null, EMPTY)).toMatchObject({
      loraAdapterId: 'a2',
      softPromptAdapterId: 'a2',
      templateVersionId: null,
    });
    expect(picksForAdapter({ id: 'a3', modelId: 'm1', method: 'soft-prompt' }, null, EMPTY)).toMatchObject({
      loraAdapterId: null,
      softPromptAdapterId: 'a3',
    });
  });

  it("opens a specialization with its parts and decoding, and sends unsaved parts with the Playground's decoding", () => {
    const picks = picksForSpecialization(spec, EMPTY);
    expect(picks).toMatchObject({
      specializationId: 's1',
      modelId: 'm1',
      loraAdapterId: 'a1',
      templateVersionId: 't1',
      decoding: { max_new_tokens: 32 },
    });
    expect(partsOf({ ...picks, specializationId: null }, 'm1', { do_sample: false })).toEqual({
      modelId: 'm1',
      loraAdapterId: 'a1',
      softPromptAdapterId: null,
      templateVersionId: 't1',
      demonstrationSetVersionId: null,
      decoding: { do_sample: false },
    });
  });

  it('drops saved ids that have gone or belong to another model, and keeps picks whose lists are still loading', () => {
    const saved = {
      ...EMPTY,
      specializationId: 'gone',
      loraAdapterId: 'a1',
      softPromptAdapterId: 'other-model',
      demonstrationSetVersionId: 'd1',
    };
    const known = {
      specializations: [{ id: 's1' }],
      adapters: [
        { id: 'a1', modelId: 'm1' },
        { id: 'other-model', modelId: 'm2' },
      ],
      demonstrations: [{ id: 'd1' }],
    };
    expect(withoutStale(saved, known, 'm1')).toEqual({ ...saved, specializationId: null, softPromptAdapterId: null });
    expect(
      withoutStale(saved, { specializations: undefined, adapters: undefined, demonstrations: undefined }, 'm1'),
    ).toBe(saved);
  });

  it('brings saved decoding back into the form on top of the model defaults, and out again unchanged', () => {
    const defaults = parseDecodingSettings({ temperature: 0.7, max_new_tokens: 256 });
    const saved = {
      do_sample: true,
      temperature: 0.3,
      top_k: 50,
      top_p: 1,
      repetition_penalty: 1,
      max_new_tokens: 12,
      stop_strings: ['###'],
      seed: 7,
      ignore_eos: true,
    };
    const form = formFromOverrides(defaults, saved);
    expect(form).toMatchObject({
      do_sample: true,
      temperature: '0.3',
      max_new_tokens: '12',
      seed: '7',
      ignore_eos: true,
      stop_strings: '###',
    });
    expect(overridesFromForm(form)).toEqual({ settings: saved });
    expect(formFromOverrides(defaults, {})).toMatchObject({
      do_sample: false,
      temperature: '0.7',
      max_new_tokens: '256',
      seed: '',
    });
  });
});
