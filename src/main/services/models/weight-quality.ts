// What a quantized format costs one model, measured and kept: the engine scores a dataset's test texts under the stored
// weights and the format's copy; the per-document change in nats/token gets a seeded paired bootstrap CI. Results live
// beside the quantized copies (<cache>/<content hash>/quality.json, one per format and dataset version), so every
// workspace with the model sees them; so do the task measurements of experiments' format checks (task-quality.json,
// one per format, dataset version, cell and metric).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { TaskQuality, WeightQuality } from '../../../shared/contract/models';
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
const TASK_FILE = 'task-quality.json';

/** A kept list, newest first ([] when none, or the file is damaged: it is rewritten next time). */
async function readKept<T extends { measuredAt: string }>(
  schema: z.ZodType<T[]>,
  cacheFolder: string,
  contentHash: string,
  file: string,
): Promise<T[]> {
  try {
    const parsed = schema.safeParse(JSON.parse(await readFile(join(cacheFolder, contentHash, file), 'utf8')));
    return parsed.success ? parsed.data.sort((a, b) => b.measuredAt.localeCompare(a.measuredAt)) : [];
  } catch {
    return [];
  }
}

async function writeKept(cacheFolder: string, contentHash: string, file: string, list: unknown[]): Promise<void> {
  const path = join(cacheFolder, contentHash, file);
  await mkdir(join(cacheFolder, contentHash), { recursive: true });
  await writeFile(`${path}.partial`, JSON.stringify(list));
  await rename(`${path}.partial`, path); // whole or not at all
}

/** The kept perplexity measurements of a model, newest first. */
export function readWeightQuality(cacheFolder: string, contentHash: string): Promise<WeightQuality[]> {
  return readKept(z.array(WeightQuality), cacheFolder, contentHash, FILE);
}

/** The kept task measurements of a model, newest first. */
export function readTaskQuality(cacheFolder: string, contentHash: string): Promise<TaskQuality[]> {
  return readKept(z.array(TaskQuality), cacheFolder, contentHash, TASK_FILE);
}

/** Keeps task measurements, each replacing the one of the same format, dataset version, cell and metric. */
export async function keepTaskQuality(
  cacheFolder: string,
  contentHash: string,
  entries: readonly TaskQuality[],
): Promise<void> {
  const same = (a: TaskQuality, b: TaskQuality) =>
    a.format === b.format && a.datasetVersionId === b.datasetVersionId && a.cell === b.cell && a.metric === b.metric;
  const kept = (await readTaskQuality(cacheFolder, contentHash)).filter((q) => !entries.some((e) => same(e, q)));
  await writeKept(cacheFolder, contentHash, TASK_FILE, [...entries, ...kept]);
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
  await writeKept(a.cacheFolder, a.contentHash, FILE, [result, ...kept]);
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
