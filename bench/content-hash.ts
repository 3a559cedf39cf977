// Throughput of the content hasher (platform/files/content-hash.ts) on a file of --mb MiB (default 512) written into
// bench/.cache/: the first pass reads from the page cache as a re-check would after a copy; --drop is not attempted
// (it needs root). Also times how long the event loop waits at most between turns while hashing, and the worker's
// NaN/Inf scan (models/finite-check.ts) over the same bytes read as F32 and as BF16.
import fs from 'node:fs';
import path from 'node:path';
import { findNonFinite } from '../src/main/engine/models/finite-check';
import { ContentHasher } from '../src/main/platform/files/content-hash';

const mb = Number(process.argv.find((a) => a.startsWith('--mb='))?.slice(5) ?? 512);
const file = path.join('bench', '.cache', `hash-${mb}m-v2.bin`);
fs.mkdirSync(path.dirname(file), { recursive: true });
if (!fs.existsSync(file) || fs.statSync(file).size !== mb * 2 ** 20) {
  const chunk = Buffer.alloc(2 ** 20).map((_, i) => (i * 131) & 0x3f);
  const fd = fs.openSync(file, 'w');
  for (let i = 0; i < mb; i++) fs.writeSync(fd, chunk);
  fs.closeSync(fd);
}
for (let round = 0; round < 3; round++) {
  let worstGap = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worstGap = Math.max(worstGap, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  await new ContentHasher().hashFile(file);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  console.log(
    `round ${round + 1}: ${mb} MiB in ${seconds.toFixed(2)} s = ${(mb / seconds).toFixed(0)} MiB/s; longest event-loop gap ${worstGap.toFixed(1)} ms`,
  );
}

for (const dtype of ['F32', 'BF16'] as const) {
  // The pattern's bytes stay below 0x40: no all-ones exponent in either reading, so the scan reads every byte.
  const tensor = {
    name: 'bench',
    dtype,
    shape: [(mb * 2 ** 20) / (dtype === 'F32' ? 4 : 2)],
    file: path.basename(file),
    path: path.resolve(file),
    offset: 0,
    length: mb * 2 ** 20,
  };
  const started = performance.now();
  const found = await findNonFinite([tensor]);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `NaN/Inf scan as ${dtype}: ${mb} MiB in ${seconds.toFixed(2)} s = ${(mb / seconds).toFixed(0)} MiB/s${found ? ` (found at ${found.index})` : ''}`,
  );
}
