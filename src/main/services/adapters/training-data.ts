// The wizard's file data: rows from a bundled demo dataset or a JSONL file, read by the datasets service's streaming
// JSONL reader (datasets/readers.ts: encoding, size and line caps, nesting limit) and rendered through the user's
// Jinja prompt template into (prompt, target) pairs by the one guarded renderer (the render worker, in batches). A
// malformed row is a UserError naming the file and line; names the template reads that rows lack come back as warnings.
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainingDataSource, TrainingTemplate } from '../../../shared/contract/adapters';
import { UserError } from '../../../shared/errors';
import { checkPathText } from '../../platform/files/user-files';
import { MAX_DATA_FILE_BYTES, openReader } from '../datasets/readers';
import { compile, renderRows, type CompiledTemplate, type RowToRender, type TemplateRenderer } from '../templates';

export interface TrainingPair {
  prompt: string;
  target: string;
}

export interface RenderedData {
  pairs: TrainingPair[];
  validation: TrainingPair[];
  /** Names the data for the lineage: "bundled:support-triage" or the file path. */
  sourceId: string;
  /** sha256 of the training file's bytes; with a validation file, sha256 of both files' sha256 (hex, in that order). */
  contentHash: string;
  templateHash: string;
  /** Set when the template version decides it (dataset sources). */
  chat?: boolean;
  /** Names the template reads that rows do not set, each with how many rows (training still runs). */
  warnings: string[];
}

/** The bundled datasets' default field mapping and template (from their data cards). */
export const BUNDLED_DEFAULTS: Record<
  'support-triage' | 'wordnet-supersense',
  Pick<TrainingTemplate, 'inputField' | 'outputField' | 'prompt'>
> = {
  'support-triage': {
    inputField: 'message',
    outputField: 'output',
    prompt: 'Triage this support message as JSON.\nMessage: {{ input }}\nTicket: ',
  },
  'wordnet-supersense': {
    inputField: 'definition',
    outputField: 'output',
    prompt: '{{ word }} ({{ pos }}): {{ definition }}\nSupersense: ',
  },
};

export function findBundledDatasetsDir(start: string = dirname(fileURLToPath(import.meta.url))): string | null {
  return findResourceDir('datasets', start);
}

/** resources/<name> next to the running code (up to five folders up), or in the packaged app's resources. */
export function findResourceDir(
  name: string,
  start: string = dirname(fileURLToPath(import.meta.url)),
  holds?: string,
): string | null {
  const packaged = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  const candidates = packaged ? [join(packaged, name)] : [];
  let dir = start;
  for (let level = 0; level <= 5; level++) {
    candidates.push(join(dir, 'resources', name));
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return (
    candidates.find(
      (c) => existsSync(c) && statSync(c).isDirectory() && (holds === undefined || existsSync(join(c, holds))),
    ) ?? null
  );
}

export async function renderTrainingData(
  source: Exclude<TrainingDataSource, { kind: 'dataset' }>,
  template: TrainingTemplate,
  datasetsDir: string | null,
  renderer: TemplateRenderer,
): Promise<RenderedData> {
  const files = dataFiles(source, datasetsDir);
  const compiled = compile({ source: template.prompt, system: null, chat: template.chat }, 'template.prompt');
  const fileHashes: string[] = [];
  const warnings = new WarningTally();
  const read = async (path: string, limit: number | null): Promise<TrainingPair[]> => {
    checkPathText(path, 'adapters.train: data.path');
    const { rows, sha256 } = await readRows(path, template, limit);
    fileHashes.push(sha256);
    return renderPairs(rows, template, compiled, renderer, warnings);
  };
  const pairs = await read(files.train, template.maxRows);
  if (pairs.length === 0)
    throw new UserError(`${files.train} has no rows`, {
      code: 'train-data',
      where: files.train,
      hint: 'Give a JSONL file with one JSON object per line.',
    });
  const validation =
    files.validation === null || template.validationRows === 0
      ? []
      : await read(files.validation, template.validationRows);
  return {
    pairs,
    validation,
    sourceId: source.kind === 'bundled' ? `bundled:${source.dataset}` : source.path,
    contentHash:
      fileHashes.length === 1
        ? (fileHashes[0] as string)
        : createHash('sha256').update(fileHashes.join('')).digest('hex'),
    templateHash: createHash('sha256')
      .update(JSON.stringify([template.prompt, template.inputField, template.outputField, template.chat]))
      .digest('hex'),
    warnings: warnings.list(pairs.length + validation.length),
  };
}

/** Counts each warning over the rows rendered, for one line per name. */
export class WarningTally {
  private readonly counts = new Map<string, number>();

  add(messages: readonly string[]): void {
    for (const m of messages) this.counts.set(m, (this.counts.get(m) ?? 0) + 1);
  }

  list(rows: number): string[] {
    return [...this.counts].slice(0, 20).map(([m, n]) => (n === 1 && rows === 1 ? m : `${m} (${n} of ${rows} rows)`));
  }
}

function dataFiles(
  source: Exclude<TrainingDataSource, { kind: 'dataset' }>,
  datasetsDir: string | null,
): { train: string; validation: string | null } {
  if (source.kind === 'jsonl') return { train: source.path, validation: source.validationPath };
  if (datasetsDir === null)
    throw new UserError('The bundled datasets are missing from this installation.', {
      code: 'train-data',
      hint: 'Reinstall Dovetail, or give a JSONL file.',
    });
  return {
    train: join(datasetsDir, source.dataset, 'train.jsonl'),
    validation: join(datasetsDir, source.dataset, 'validation.jsonl'),
  };
}

type FileRow = RowToRender & { target: string };

/**
 * The first `limit` rows of a JSONL file through the datasets reader, each checked for the input and output fields;
 * the whole file is read (its sha256 is the lineage's), blank lines skipped, line numbers the file's.
 */
async function readRows(
  path: string,
  t: TrainingTemplate,
  limit: number | null,
): Promise<{ rows: FileRow[]; sha256: string }> {
  const rows: FileRow[] = [];
  const reader = openReader(path, 'jsonl', MAX_DATA_FILE_BYTES);
  for await (const item of reader.items()) {
    if (limit !== null && rows.length >= limit) continue;
    const where = item.line > 0 ? `${path}:${item.line}` : path;
    const fail = (message: string, hint: string): UserError =>
      new UserError(item.line > 0 ? `Line ${item.line} of ${path}: ${message}` : `${path}: ${message}`, {
        code: 'train-data',
        where,
        hint,
      });
    if (item.kind === 'problem')
      throw fail(
        item.reason,
        item.hint ?? 'Each line must be one JSON object, e.g. {"input": "...", "output": "..."}.',
      );
    const input = item.data[t.inputField];
    const output = item.data[t.outputField];
    if (typeof input !== 'string')
      throw fail(
        `has no text field "${t.inputField}" (the input field)`,
        'Choose the field that holds the input, or fix the row.',
      );
    if (typeof output !== 'string' || output === '')
      throw fail(
        `has no text field "${t.outputField}" (the output field)`,
        'Choose the field that holds the expected output, or fix the row.',
      );
    rows.push({ row: { ...item.data, input }, examples: [], where: `line ${item.line} of ${path}`, target: output });
  }
  return { rows, sha256: reader.sha256() };
}

/** Renders the rows through the one renderer; the target never leaks into the prompt (the output field is unset). */
async function renderPairs(
  rows: readonly FileRow[],
  t: TrainingTemplate,
  compiled: CompiledTemplate,
  renderer: TemplateRenderer,
  warnings: WarningTally,
): Promise<TrainingPair[]> {
  const outcomes = await renderRows(renderer, compiled, { input: [t.inputField], reference: t.outputField }, rows, {
    stopOnError: true,
  });
  return outcomes.map((outcome, i) => {
    if (!outcome.ok) throw outcome.error;
    warnings.add(outcome.rendered.warnings);
    return { prompt: outcome.rendered.text, target: rows[i]!.target };
  });
}
