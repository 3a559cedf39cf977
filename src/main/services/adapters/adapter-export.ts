// Exports a registered adapter as a PEFT folder, or a .zip of one: adapter_config.json (base_model_name_or_path set,
// so AutoPeftModelForCausalLM finds the base model), adapter_model.safetensors as trained, the soft prompt in
// prompt_tuning/ when there is one, a README.md model card and the lineage sidecar with the new files' hashes.
// Written to a temporary name beside the target and renamed into place: a failure leaves nothing behind.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import type { AdapterRecord } from '../../../shared/contract/adapters';
import { UserError } from '../../../shared/errors';
import { writeFolderAtomically, type FileToWrite } from '../../engine/train/atomic-folder';
import { parseJson, readOptional } from '../../engine/train/json-files';
import { lineageJson, readLineage, type Lineage } from '../../engine/train/lineage';
import {
  ADAPTER_CONFIG_FILE,
  ADAPTER_WEIGHTS_FILE,
  LINEAGE_FILE,
  SOFT_PROMPT_SUBFOLDER,
} from '../../engine/train/peft-names';
import { peftJson } from '../../engine/train/peft-write';
import { fsyncDirectory } from '../../platform/files/atomic';
import { modelCard, type CardFacts } from './model-card';

export const MODEL_CARD_FILE = 'README.md';

export interface ExportRequest {
  readonly adapter: AdapterRecord;
  /** Absolute path of the folder (or the .zip file) to create; it must not exist. */
  readonly to: string;
  /** base_model_name_or_path: the base model's folder. */
  readonly baseModelPath: string;
  readonly baseModelName: string;
  readonly template: CardFacts['template'];
  readonly appVersion: string;
}

export interface ExportResult {
  path: string;
  format: 'folder' | 'zip';
  files: string[];
}

/** The files of the export, in the order they are written. */
export async function exportFiles(r: ExportRequest): Promise<FileToWrite[]> {
  const source = r.adapter.folder;
  const peft: FileToWrite[] = [];
  for (const dir of ['', `${SOFT_PROMPT_SUBFOLDER}/`]) {
    const configPath = join(source, dir, ADAPTER_CONFIG_FILE);
    const config = await readOptional(configPath);
    if (config === null) continue;
    const weights = await readOptional(join(source, dir, ADAPTER_WEIGHTS_FILE));
    if (weights === null) throw missing(join(source, dir, ADAPTER_WEIGHTS_FILE));
    peft.push({
      path: `${dir}${ADAPTER_CONFIG_FILE}`,
      bytes: withBaseModel(parseJson(config, configPath, 'adapter-config'), r.baseModelPath),
    });
    peft.push({ path: `${dir}${ADAPTER_WEIGHTS_FILE}`, bytes: weights });
  }
  if (peft.length === 0) throw missing(join(source, ADAPTER_CONFIG_FILE));
  const lineage = await readLineage(source);
  const card: CardFacts = {
    adapter: r.adapter,
    baseModelPath: r.baseModelPath,
    baseModelName: r.baseModelName,
    baseContentHash: r.adapter.baseContentHash,
    lineage,
    template: r.template,
    appVersion: r.appVersion,
  };
  const files = [...peft, { path: MODEL_CARD_FILE, bytes: new TextEncoder().encode(modelCard(card)) }];
  if (lineage !== null) files.push({ path: LINEAGE_FILE, bytes: sidecar(lineage, peft) });
  return files;
}

/** Writes the export: a folder, or a .zip when `to` ends in .zip. */
export async function exportAdapter(r: ExportRequest): Promise<ExportResult> {
  const files = await exportFiles(r);
  const zip = /\.zip$/i.test(r.to);
  if (zip) await writeZipAtomically(r.to, files);
  else await writeFolderAtomically(r.to, files);
  return { path: r.to, format: zip ? 'zip' : 'folder', files: files.map((f) => f.path) };
}

/** adapter_config.json with base_model_name_or_path (and a text-initialised soft prompt's tokenizer) set to base. */
function withBaseModel(config: unknown, baseModelPath: string): Uint8Array {
  const c: Record<string, unknown> = { ...(config as Record<string, unknown>), base_model_name_or_path: baseModelPath };
  if (c.peft_type === 'PROMPT_TUNING' && c.prompt_tuning_init === 'TEXT') c.tokenizer_name_or_path = baseModelPath;
  return peftJson(c);
}

/** The lineage as recorded, with the hashes of the exported PEFT files (their configs now name the base model). */
function sidecar(lineage: Lineage, peft: readonly FileToWrite[]): Uint8Array {
  const { format: _f, format_version: _v, method, files: _old, ...input } = lineage;
  const fresh = lineageJson(input, method, Object.fromEntries(peft.map((f) => [f.path, f.bytes])));
  return new TextEncoder().encode(`${JSON.stringify(fresh, null, 2)}\n`);
}

/** Creates the .zip (which must not exist) through a temporary file renamed into place. */
async function writeZipAtomically(target: string, files: readonly FileToWrite[]): Promise<void> {
  if (await exists(target)) {
    throw new UserError(`${basename(target)} already exists; an export never overwrites a file.`, {
      code: 'export-exists',
      where: target,
      hint: 'Choose another name, or delete the old file first.',
    });
  }
  // Weights are stored as they are (floats barely compress); the small text files are deflated.
  const entries: Zippable = Object.fromEntries(
    files.map((f) => [f.path, [f.bytes, { level: f.path.endsWith('.safetensors') ? 0 : 6 }]]),
  );
  const bytes = zipSync(entries, { mtime: new Date() });
  const temp = join(dirname(target), `.${basename(target)}.tmp-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(dirname(target), { recursive: true });
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw new UserError(`Cannot write ${basename(target)}: ${error instanceof Error ? error.message : String(error)}`, {
      code: 'export-write',
      where: target,
      hint: 'Check that the folder exists, is writable and has free space.',
      cause: error,
    });
  }
  await fsyncDirectory(dirname(target));
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function missing(path: string): UserError {
  return new UserError(`The adapter's ${basename(path)} is missing.`, {
    code: 'adapter-missing',
    where: path,
    hint: 'The adapter folder in the workspace was changed; import the adapter again.',
  });
}
