// `npm run format` rewrites code files in Prettier's layout; `npm run format -- --check` only reports files that differ
// (Prettier's own --write and --check together would fix and pass, so the two modes are chosen here).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const prettier = require.resolve('prettier/bin/prettier.cjs');
const check = process.argv.includes('--check');
const rest = process.argv.slice(2).filter((a) => a !== '--check');
const result = spawnSync(process.execPath, [prettier, check ? '--check' : '--write', '.', ...rest], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
