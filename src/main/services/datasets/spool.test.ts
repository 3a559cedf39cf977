// Stale spool files: a killed import's spool (its pid gone, or in the old naming) is removed when the workspace is
// swept; a spool of an import running in this process is kept.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IMPORTS_DIR, SpoolWriter, newSpoolPath, removeStaleSpools } from './spool';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-spool-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('removeStaleSpools', () => {
  it('removes spools of dead processes and old names, keeps live ones and other files', async () => {
    const imports = path.join(dir, IMPORTS_DIR);
    fs.mkdirSync(imports, { recursive: true });
    // A pid above the kernel's maximum (4194304) can never be running.
    fs.writeFileSync(path.join(imports, '99999999-0a1b.spool'), 'x'.repeat(1000));
    fs.writeFileSync(path.join(imports, '3f2c9a.spool'), 'y'.repeat(24));
    fs.writeFileSync(path.join(imports, 'notes.txt'), 'kept');
    const running = await SpoolWriter.create(newSpoolPath(dir));
    await running.write({ key: 'k', split: 'train', file: 'f', line: 1, rowHash: 'h', inputHash: 'i', data: { a: 1 } });
    expect(path.basename(running.file)).toMatch(new RegExp(`^${process.pid}-[0-9a-f-]+\\.spool$`));

    expect(await removeStaleSpools(dir)).toEqual({ files: 2, bytes: 1024 });
    expect(fs.readdirSync(imports).sort()).toEqual([path.basename(running.file), 'notes.txt'].sort());

    await running.discard();
    expect(await removeStaleSpools(dir)).toEqual({ files: 0, bytes: 0 });
    expect(fs.readdirSync(imports)).toEqual(['notes.txt']);
  });

  it('does nothing in a workspace without an imports folder', async () => {
    expect(await removeStaleSpools(path.join(dir, 'elsewhere'))).toEqual({ files: 0, bytes: 0 });
  });
});
