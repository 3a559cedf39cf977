// Runs a TypeScript benchmark with Vite's module runner (vite is a dev dependency; nothing to build first):
//   node bench/run.mjs bench/generate.ts [--flags]
import process from 'node:process';
import { runnerImport } from 'vite';

const [entry, ...rest] = process.argv.slice(2);
if (!entry) throw new Error('usage: node bench/run.mjs bench/<name>.ts [--flags]');
process.argv = [process.argv[0], entry, ...rest];
await runnerImport(`./${entry.replace(/^\.\//, '')}`, { configFile: false, logLevel: 'warn' });
