// The wizard's data layer until the datasets service (issue 6) replaces it: rows from a bundled demo dataset or a
// JSONL file, rendered through the user's Jinja prompt template (@huggingface/jinja, as chat templates are) into
// (prompt, target) pairs. A malformed row is a UserError naming the file and line. Nothing else reads datasets.
import { Template } from '@huggingface/jinja';
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainingDataSource, TrainingTemplate } from '../../../shared/contract/adapters';
import { UserError } from '../../../shared/errors';
import { readUserText } from '../../platform/files/text-stream';
import { checkPathText } from '../../platform/files/user-files';

/** This stand-in reads its file whole, so it takes files up to this size (the datasets service streams larger ones). */
const MAX_TRAINING_FILE_BYTES = 256 * 1024 * 1024;

export interface TrainingPair {
  prompt: string;
  target: string;
}

export interface RenderedData {
  pairs: TrainingPair[];
  validation: TrainingPair[];
  /** Names the data for the lineage: "bundled:support-triage" or the file path. */
  sourceId: string;
  /** sha256 of the training (and validation) file bytes. */
  contentHash: string;
  templateHash: string;
  /** Set when the template version decides it (dataset sources). */
  chat?: boolean;
}

/** The bundled datasets' default field mapping and template (from their data cards). */
export const BUNDLED_DEFAULTS: Record<'support-triage' | 'wordnet-supersense', Pick<TrainingTemplate, 'inputField' | 'outputField' | 'prompt'>> = {
  'support-triage': { inputField: 'message', outputField: 'output', prompt: 'Triage this support message as JSON.\nMessage: {{ input }}\nTicket: ' },
  'wordnet-supersense': { inputField: 'definition', outputField: 'output', prompt: '{{ word }} ({{ pos }}): {{ definition }}\nSupersense: ' },
};

export function findBundledDatasetsDir(start: string = dirname(fileURLToPath(import.meta.url))): string | null {
  const packaged = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  const candidates = packaged ? [join(packaged, 'datasets')] : [];
  let dir = start;
  for (let level = 0; level <= 5; level++) {
    candidates.push(join(dir, 'resources', 'datasets'));
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return candidates.find((c) => existsSync(c) && statSync(c).isDirectory()) ?? null;
}

export async function renderTrainingData(source: Exclude<TrainingDataSource, { kind: 'dataset' }>, template: TrainingTemplate, datasetsDir: string | null): Promise<RenderedData> {
  const files = dataFiles(source, datasetsDir);
  const compiled = compile(template.prompt);
  const hash = createHash('sha256');
  const read = async (path: string, limit: number | null): Promise<TrainingPair[]> => {
    checkPathText(path, 'adapters.train: data.path');
    const { text, bytes } = await readUserText(path, { where: path, maxBytes: MAX_TRAINING_FILE_BYTES, expected: 'a JSONL file with one JSON object per line' });
    hash.update(bytes);
    return renderLines(text, path, template, compiled, limit);
  };
  const pairs = await read(files.train, template.maxRows);
  if (pairs.length === 0) throw new UserError(`${files.train} has no rows`, { code: 'train-data', where: files.train, hint: 'Give a JSONL file with one JSON object per line.' });
  const validation = files.validation === null || template.validationRows === 0 ? [] : await read(files.validation, template.validationRows);
  return {
    pairs,
    validation,
    sourceId: source.kind === 'bundled' ? `bundled:${source.dataset}` : source.path,
    contentHash: hash.digest('hex'),
    templateHash: createHash('sha256').update(JSON.stringify([template.prompt, template.inputField, template.outputField, template.chat])).digest('hex'),
  };
}

function dataFiles(source: Exclude<TrainingDataSource, { kind: 'dataset' }>, datasetsDir: string | null): { train: string; validation: string | null } {
  if (source.kind === 'jsonl') return { train: source.path, validation: source.validationPath };
  if (datasetsDir === null) throw new UserError('The bundled datasets are missing from this installation.', { code: 'train-data', hint: 'Reinstall Dovetail, or give a JSONL file.' });
  return { train: join(datasetsDir, source.dataset, 'train.jsonl'), validation: join(datasetsDir, source.dataset, 'validation.jsonl') };
}

function compile(source: string): Template {
  try {
    return new Template(source);
  } catch (error) {
    throw new UserError(`The prompt template cannot be parsed: ${error instanceof Error ? error.message : String(error)}`, { code: 'train-template', where: 'template', hint: 'Check the {{ }} and {% %} blocks.' });
  }
}

/** Parses JSONL and renders each row; `limit` rows at most. Blank lines are skipped (line numbers stay the file's). */
export function renderLines(text: string, path: string, t: TrainingTemplate, template: Template, limit: number | null): TrainingPair[] {
  const out: TrainingPair[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && (limit === null || out.length < limit); i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    const where = `${path}:${i + 1}`;
    const fail = (message: string, hint: string): UserError => new UserError(`Line ${i + 1} of ${path}: ${message}`, { code: 'train-data', where, hint });
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw fail('is not valid JSON', 'Each line must be one JSON object, e.g. {"input": "...", "output": "..."}.');
    }
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw fail('is not a JSON object', 'Each line must be one JSON object.');
    const fields = row as Record<string, unknown>;
    const input = fields[t.inputField];
    const output = fields[t.outputField];
    if (typeof input !== 'string') throw fail(`has no text field "${t.inputField}" (the input field)`, 'Choose the field that holds the input, or fix the row.');
    if (typeof output !== 'string' || output === '') throw fail(`has no text field "${t.outputField}" (the output field)`, 'Choose the field that holds the expected output, or fix the row.');
    let prompt: string;
    try {
      prompt = template.render({ ...fields, [t.outputField]: undefined, input }); // the target never leaks into the prompt
    } catch (error) {
      throw fail(`the prompt template failed: ${error instanceof Error ? error.message : String(error)}`, 'Check the field names the template uses.');
    }
    out.push({ prompt, target: output });
  }
  return out;
}
