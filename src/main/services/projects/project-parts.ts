// Helpers of the projects service: the four side cells of a prompt + adapter ablation, the demonstrations variant of a
// prompt, and an adapter's measured costs (training time and peak memory from its job, disk from its folder).
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Experiment, ExperimentCell } from '../../../shared/contract/experiments';
import type { Component } from '../../../shared/contract/specializations';
import { BugError } from '../../../shared/errors';
import type { AdaptersService } from '../adapters';

const PROMPT_SIDE: ReadonlySet<Component> = new Set(['template', 'demonstrations']);

export interface SideCell {
  cell: ExperimentCell;
  /** Its place in the experiment's cells (and so in each output row). */
  index: number;
}

/** base (all off), prompt (the prompt side on), adapter (the adapter side on) and both (all on) of an ablation. */
export function sideCells(experiment: Experiment): Record<'base' | 'prompt' | 'adapter' | 'both', SideCell> {
  const cells = experiment.cells.map((cell, index) => ({ cell, index }));
  const full = cells.reduce((a, b) => (b.cell.components.length > a.cell.components.length ? b : a));
  const promptSide = full.cell.components.filter((c) => PROMPT_SIDE.has(c));
  const adapterSide = full.cell.components.filter((c) => !PROMPT_SIDE.has(c));
  const find = (on: readonly Component[]): SideCell => {
    const found = cells.find(
      (c) => c.cell.components.length === on.length && on.every((x) => c.cell.components.includes(x)),
    );
    if (!found) throw new BugError(`the ablation has no cell with exactly ${on.join(', ') || 'nothing'} on`);
    return found;
  };
  if (promptSide.length === 0 || adapterSide.length === 0)
    throw new BugError('a project ablation needs a prompt side and an adapter side');
  return { base: find([]), prompt: find(promptSide), adapter: find(adapterSide), both: full };
}

/** The prompt with each demonstration shown first as its input fields and its reference, by field name. */
export function promptVariantSource(source: string, roles: { input: string[]; reference: string | null }): string {
  const lines = [...roles.input, ...(roles.reference ? [roles.reference] : [])]
    .map((f) => `${f}: {{ e[${JSON.stringify(f)}] }}`)
    .join('\n');
  return `{% for e in examples %}${lines}\n\n{% endfor %}${source}`;
}

export interface AdapterCosts {
  trainingSeconds: number | null;
  memoryBytes: number | null;
  diskBytes: number | null;
}

export async function adapterCosts(
  adapters: Pick<AdaptersService, 'record' | 'job'>,
  adapterId: string,
): Promise<AdapterCosts> {
  const record = adapters.record(adapterId);
  const job = record.jobId === null ? null : await adapters.job({ id: record.jobId });
  return {
    trainingSeconds: job ? (Date.parse(job.updatedAt) - Date.parse(job.createdAt)) / 1000 : null,
    memoryBytes: job?.progress?.peakRssBytes ?? null,
    diskBytes: await folderBytes(record.folder),
  };
}

async function folderBytes(folder: string): Promise<number | null> {
  try {
    let total = 0;
    for (const entry of await readdir(folder, { withFileTypes: true, recursive: true }))
      if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
    return total;
  } catch {
    return null;
  }
}
