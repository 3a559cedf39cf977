// What a quantized format costs one model, measured and kept: the engine scores a dataset's test texts under the stored
// weights and the format's copy; the per-document change in nats/token gets a seeded paired bootstrap CI. Results live
// beside the quantized copies (<cache>/<content hash>/quality.json, one per format and dataset version), so every
// workspace with the model sees them.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { WeightQuality } from '../../../shared/contract/models';
import { UserError } from '../../../shared/errors';
import type { EngineClient } from '../../engine/client';
import { pairedBootstrapDiffCI } from '../../eval/stats/bootstrap';

/** The texts a measurement scores: a dataset version's test split, described for the user. */
export interface QualityTexts {
  label: string;
  texts: string[];
}

export interface MeasureArgs {
  folder: string;
  contentHash: string;
  format: 'q8' | 'q4';
  datasetVersionId: string;
  seed: number;
  cacheFolder: string;
  texts: QualityTexts;
  onProgress: (p: { done: number; total: number }) => void;
  now: Date;
}

const FILE = 'quality.json';
const Stored = z.array(WeightQuality);

function fileOf(cacheFolder: string, contentHash: string): string {
  return join(cacheFolder, contentHash, FILE);
}

/** The kept measurements of a model, newest first ([] when none, or the file is damaged: it is rewritten next time). */
export async function readWeightQuality(cacheFolder: string, contentHash: string): Promise<WeightQuality[]> {
  try {
    const parsed = Stored.safeParse(JSON.parse(await readFile(fileOf(cacheFolder, contentHash), 'utf8')));
    return parsed.success ? parsed.data.sort((a, b) => b.measuredAt.localeCompare(a.measuredAt)) : [];
  } catch {
    return [];
  }
}

export async function measureWeightQuality(engine: EngineClient, a: MeasureArgs): Promise<WeightQuality> {
  const scored = await engine.request(
    'measureWeightQuality',
    {
      folder: a.folder,
      contentHash: a.contentHash,
      format: a.format,
      cacheFolder: a.cacheFolder,
      texts: a.texts.texts,
    },
    { onProgress: a.onProgress },
  );
  const perToken = (docs: { sum: number; count: number }[]): number[] => docs.map((d) => d.sum / d.count);
  const perplexity = (docs: { sum: number; count: number }[]): number =>
    Math.exp(docs.reduce((t, d) => t + d.sum, 0) / docs.reduce((t, d) => t + d.count, 0));
  const diff = pairedBootstrapDiffCI(perToken(scored.quantized), perToken(scored.stored), { seed: a.seed });
  const result: WeightQuality = {
    format: a.format,
    datasetVersionId: a.datasetVersionId,
    texts: a.texts.label,
    n: scored.stored.length,
    tokens: scored.stored.reduce((t, d) => t + d.count, 0),
    delta: diff.estimate,
    low: diff.ci[0],
    high: diff.ci[1],
    storedPerplexity: perplexity(scored.stored),
    perplexity: perplexity(scored.quantized),
    seed: a.seed,
    measuredAt: a.now.toISOString(),
  };
  const kept = (await readWeightQuality(a.cacheFolder, a.contentHash)).filter(
    (q) => q.format !== a.format || q.datasetVersionId !== a.datasetVersionId,
  );
  const path = fileOf(a.cacheFolder, a.contentHash);
  await mkdir(join(a.cacheFolder, a.contentHash), { recursive: true });
  await writeFile(`${path}.partial`, JSON.stringify([result, ...kept]));
  await rename(`${path}.partial`, path); // whole or not at all
  return result;
}

/** A test split's rows as texts: the input fields of each row, joined by new lines. */
export function testTexts(
  version: { name: string; version: number; roles: { input: string[] }; splits: { test: number } },
  rows: readonly { data: Record<string, unknown> }[],
): QualityTexts {
  const fields = version.roles.input;
  if (version.splits.test < 2 || fields.length === 0)
    throw new UserError(`"${version.name}" v${version.version} has no test split with input fields to measure on.`, {
      hint: 'Pick a dataset version with at least two test rows and an input field (the demo\'s "Support triage").',
      code: 'quality-texts',
    });
  const texts = rows.map((r) =>
    fields
      .map((f) => r.data[f])
      .filter((v): v is string => typeof v === 'string')
      .join('\n'),
  );
  return { label: `${version.name} v${version.version}, test split (${fields.join(', ')})`, texts };
}
