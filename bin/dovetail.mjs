#!/usr/bin/env node
// `dovetail <command>` (e.g. `npx dovetail eval experiment.json`): the headless entry, built by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('Dovetail is not built yet: run `npm run build` first.');
  process.exit(2);
}
await import(cli);
