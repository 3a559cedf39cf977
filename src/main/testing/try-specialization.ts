// Tests only: the text a specialization generates through specializations.try (the Playground's path), waiting on the
// generation's finished event, to compare other paths (the serving endpoint) against.
import type { Api, GenerationFinished } from '../../shared/contract';

export async function triedText(api: Api, specializationId: string, fields: Record<string, string>): Promise<string> {
  const ended = new Map<string, GenerationFinished>();
  const waiters = new Map<string, (f: GenerationFinished) => void>();
  const off = api.generation.onFinished((f) => (waiters.get(f.runId)?.(f), ended.set(f.runId, f)));
  try {
    const { runId } = await api.specializations.try({ specializationId, fields });
    const finished =
      ended.get(runId) ?? (await new Promise<GenerationFinished>((resolve) => waiters.set(runId, resolve)));
    if (!finished.ok) throw new Error(finished.error.message);
    return finished.result.rows[0]?.text ?? '';
  } finally {
    off();
  }
}
