// Train/serve skew: an adapter trained with template version 1 and served with version 2 (or none) is named with
// both versions; the same version, or an adapter trained from an inline prompt, gives no warning.
import { describe, expect, it } from 'vitest';
import { templateSkewWarnings, type SkewDeps } from './template-skew';

const VERSIONS: Record<string, { name: string; version: number }> = {
  'tv-1': { name: 'Triage', version: 1 },
  'tv-2': { name: 'Triage', version: 2 },
};
const deps: SkewDeps = {
  adapterName: (id) => (id === 'lora-1' ? 'Triage LoRA' : 'Inline LoRA'),
  trainedWith: (id) => (id === 'lora-1' ? 'tv-1' : null),
  templateVersion: (id) => VERSIONS[id] as { name: string; version: number },
};

describe('train/serve template skew', () => {
  it('names both versions when the specialization uses another one', () => {
    const [warning] = templateSkewWarnings(
      { loraAdapterId: 'lora-1', softPromptAdapterId: 'lora-1', templateVersionId: 'tv-2' },
      deps,
    );
    expect(warning).toBe(
      'Train/serve skew: the adapter "Triage LoRA" was trained with template "Triage" version 1, and this specialization uses template "Triage" version 2. Its prompts differ from the ones the adapter learned; use the same version, or train the adapter again with this one.',
    );
    expect(
      templateSkewWarnings({ loraAdapterId: 'lora-1', softPromptAdapterId: null, templateVersionId: null }, deps)[0],
    ).toContain('uses no template');
  });

  it('is silent for the same version and for adapters trained from an inline prompt', () => {
    expect(
      templateSkewWarnings({ loraAdapterId: 'lora-1', softPromptAdapterId: null, templateVersionId: 'tv-1' }, deps),
    ).toEqual([]);
    expect(
      templateSkewWarnings({ loraAdapterId: 'lora-2', softPromptAdapterId: null, templateVersionId: 'tv-2' }, deps),
    ).toEqual([]);
  });
});
