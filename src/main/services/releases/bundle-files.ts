// The files of a release bundle: listing them with their digests, and checking a folder against its manifest (every
// listed file present with its size and sha256, nothing else there, no links), so an import trusts only what it
// verified.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../../shared/errors';
import { BUNDLE_SCHEMA, BundleManifest, MANIFEST_FILE } from './bundle-format';

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every entry under `root` as a '/'-separated relative path with its kind. */
async function entries(root: string): Promise<{ rel: string; file: boolean }[]> {
  const found = await fs.readdir(root, { recursive: true, withFileTypes: true });
  return found
    .map((e) => ({
      rel: path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'),
      file: e.isFile(),
      dir: e.isDirectory(),
    }))
    .filter((e) => !e.dir)
    .map(({ rel, file }) => ({ rel, file }));
}

/** The manifest of a bundle folder as written (every file but the manifest itself). */
export async function manifestOf(root: string): Promise<BundleManifest> {
  const files = (await entries(root)).filter((e) => e.rel !== MANIFEST_FILE).sort((a, b) => a.rel.localeCompare(b.rel));
  const out: BundleManifest['files'] = [];
  for (const f of files) {
    const abs = path.join(root, ...f.rel.split('/'));
    out.push({ path: f.rel, size: (await fs.stat(abs)).size, sha256: await sha256File(abs) });
  }
  return { schema: BUNDLE_SCHEMA, files: out };
}

/** Checks the folder against its manifest; returns the number of files verified. */
export async function verifyBundle(root: string): Promise<number> {
  const where = path.join(root, MANIFEST_FILE);
  let raw: string;
  try {
    raw = await fs.readFile(where, 'utf8');
  } catch {
    throw new UserError(`${root} is not a release bundle: it has no ${MANIFEST_FILE}`, {
      code: 'bundle-invalid',
      where: 'folder',
      hint: 'Choose the folder that Export bundle wrote (it holds bundle.json and manifest.json).',
    });
  }
  const parsed = BundleManifest.safeParse(safeJson(raw));
  if (!parsed.success)
    throw new UserError(`${where} is not a bundle manifest this version reads`, {
      code: 'bundle-invalid',
      where: MANIFEST_FILE,
      hint: 'Export the bundle again with this version of Dovetail.',
    });
  const listed = new Map(parsed.data.files.map((f) => [f.path, f]));
  for (const e of await entries(root)) {
    if (e.rel === MANIFEST_FILE) continue;
    if (!e.file) throw tampered(e.rel, 'is a link or a special file; a bundle holds only plain files');
    if (!listed.has(e.rel)) throw tampered(e.rel, 'is not listed in the manifest');
  }
  for (const f of parsed.data.files) {
    if (f.path.split('/').some((part) => part === '..' || part === '') || path.isAbsolute(f.path))
      throw tampered(f.path, 'names a place outside the bundle');
    const abs = path.join(root, ...f.path.split('/'));
    const stat = await fs.lstat(abs).catch(() => undefined);
    if (!stat?.isFile()) throw tampered(f.path, 'is missing');
    if (stat.size !== f.size) throw tampered(f.path, `has ${stat.size} bytes, the manifest says ${f.size}`);
    if ((await sha256File(abs)) !== f.sha256) throw tampered(f.path, 'does not match its sha256 in the manifest');
  }
  return parsed.data.files.length;
}

function tampered(file: string, what: string): UserError {
  return new UserError(`The bundle's file ${file} ${what}`, {
    code: 'bundle-tampered',
    where: file,
    hint: 'The bundle was changed after it was exported: export it again from the workspace that made it.',
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
