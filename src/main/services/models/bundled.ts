// The models that ship with Dovetail (resources/models/<name>/, e.g. the demo model dovetail-wordnet-13m), found
// relative to the running code: the packaged app's resources folder, else the repository above the built output
// (out/main) or the sources (src/main/services/models). No machine-specific paths.
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BundledFolder {
  readonly name: string;
  readonly folder: string;
  readonly description: string;
}

/** How far up from the code to look for resources/models (src/main/services/models is four levels deep). */
const MAX_LEVELS = 5;

export function findBundledModelsDir(start: string = dirname(fileURLToPath(import.meta.url))): string | null {
  const packaged = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  const candidates = packaged ? [join(packaged, 'models')] : [];
  let dir = start;
  for (let level = 0; level <= MAX_LEVELS; level++) {
    candidates.push(join(dir, 'resources', 'models'));
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return candidates.find(isDirectory) ?? null;
}

/** Each subfolder with a config.json, with the first paragraph of its README as the description. */
export async function listBundledModels(dir: string | null): Promise<BundledFolder[]> {
  if (dir === null) return [];
  const names = (await readdir(dir).catch(() => [] as string[])).sort();
  const out: BundledFolder[] = [];
  for (const name of names) {
    const folder = join(dir, name);
    if (!existsSync(join(folder, 'config.json'))) continue;
    const readme = await readFile(join(folder, 'README.md'), 'utf-8').catch(() => '');
    out.push({ name, folder, description: firstParagraph(readme) });
  }
  return out;
}

/** The first prose paragraph of a model card (after the YAML front matter and headings), as one line. */
export function firstParagraph(markdown: string): string {
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, '');
  for (const block of body.split(/\n\s*\n/)) {
    const text = block.trim();
    if (text === '' || text.startsWith('#') || text.startsWith('|') || text.startsWith('```')) continue;
    return text.replace(/\s+/g, ' ').replace(/\*\*/g, '');
  }
  return '';
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
