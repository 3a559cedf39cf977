// Trying one input through the composed app with the demo workspace (real services, render worker and engine):
// unsaved parts render through the saved template and stream without storing anything, a saved specialization runs
// with the caller's decoding in place of its own (greedy: the shorter answer begins the longer one), and parts naming
// an adapter that is not there are refused.
import { describe, expect, it } from 'vitest';
import type { GenerationFinished } from '../../../shared/contract';
import { useDemoApp } from '../../testing/demo-app';

const ctx = useDemoApp('try');

/** Starts a try and resolves with its start answer and how its run finished. */
async function tried(
  start: () => Promise<{ runId: string; prompt: string }>,
): Promise<{ prompt: string; finished: GenerationFinished }> {
  const ended = new Map<string, GenerationFinished>();
  const waiters = new Map<string, (f: GenerationFinished) => void>();
  const off = ctx.api.generation.onFinished((f) => (waiters.get(f.runId)?.(f), ended.set(f.runId, f)));
  try {
    const { runId, prompt } = await start();
    const finished =
      ended.get(runId) ?? (await new Promise<GenerationFinished>((resolve) => waiters.set(runId, resolve)));
    return { prompt, finished };
  } finally {
    off();
  }
}

describe('specializations.try and tryParts', () => {
  it("runs unsaved parts through the template, stores nothing, and honours a saved one's decoding override", async () => {
    const { api, demo } = ctx;
    const modelId = demo.modelIds[0] as string;
    const template = await api.templates.save({
      name: 'Try triage',
      source: 'Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ',
    });
    const before = (await api.specializations.list({})).length;

    const parts = { modelId, templateVersionId: template.id, decoding: { max_new_tokens: 5, ignore_eos: true } };
    const unsaved = await tried(() =>
      api.specializations.tryParts({ parts, fields: { message: 'My invoice is wrong.' } }),
    );
    expect(unsaved.prompt).toBe('Triage this support message as JSON.\nMessage: My invoice is wrong.\nTicket: ');
    if (!unsaved.finished.ok) throw new Error(unsaved.finished.error.message);
    expect(unsaved.finished.result.rows[0]?.generatedTokens).toBe(5);
    expect(await api.specializations.list({})).toHaveLength(before);

    const saved = await api.specializations.create({ name: 'Try me', ...parts });
    const overridden = await tried(() =>
      api.specializations.try({
        specializationId: saved.id,
        fields: { message: 'My invoice is wrong.' },
        decoding: { max_new_tokens: 3, ignore_eos: true },
      }),
    );
    if (!overridden.finished.ok) throw new Error(overridden.finished.error.message);
    expect(overridden.finished.result.rows[0]?.generatedTokens).toBe(3);
    expect(unsaved.finished.result.rows[0]?.text.startsWith(overridden.finished.result.rows[0]?.text ?? '?')).toBe(
      true,
    );
  });

  it('refuses parts that name an adapter that is not there', async () => {
    const modelId = ctx.demo.modelIds[0] as string;
    await expect(
      ctx.api.specializations.tryParts({
        parts: { modelId, loraAdapterId: 'no-such-adapter' },
        fields: { input: 'x' },
      }),
    ).rejects.toMatchObject({ code: 'adapter-not-found' });
  });
});
