// Content identity of a registered adapter folder: the whole-file sha256 of each file its dovetail_adapter.json lists
// (adapter_config.json, adapter weights, prompt_tuning/), through the platform ContentHasher (cached by size, mtime
// and inode, so an unchanged folder costs a stat per file), checked against the digests recorded when it was saved.
import { join } from 'node:path';
import { UserError } from '../../../shared/errors';
import { readLineage } from '../../engine/train';
import { LINEAGE_FILE } from '../../engine/train/peft-names';
import { combineDigests, ContentHasher, type HashOptions } from '../../platform/files/content-hash';

const ADAPTER_HASH_VERSION = 'dovetail-adapter-v1';

export class AdapterIdentity {
  constructor(private readonly hasher: ContentHasher = new ContentHasher()) {}

  /** The folder's content hash; a file that differs from its recorded digest is refused by name. */
  async of(folder: string, options: HashOptions = {}): Promise<string> {
    const lineage = await readLineage(folder);
    if (lineage === null) {
      throw new UserError(`${LINEAGE_FILE} is missing from the adapter folder.`, {
        where: join(folder, LINEAGE_FILE),
        hint: 'Adapters in the workspace carry their record; import the PEFT folder again.',
        code: 'adapter-modified',
      });
    }
    const names = Object.keys(lineage.files).sort();
    const hashes = await this.hasher.hashFiles(
      names.map((n) => join(folder, n)),
      options,
    );
    const parts = names.map((name, i) => {
      const h = hashes[i];
      if (!h || h.sha256 !== lineage.files[name]) {
        throw new UserError(`${name} changed since ${LINEAGE_FILE} recorded it.`, {
          where: join(folder, name),
          hint: 'The adapter folder was modified after it was saved; restore it, or import the adapter again.',
          code: 'adapter-modified',
        });
      }
      return { name, size: h.size, sha256: h.sha256 };
    });
    return combineDigests(ADAPTER_HASH_VERSION, parts);
  }
}
