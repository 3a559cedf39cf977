// The built bundles keep the process boundaries: the sandboxed preload can require only electron, and the entries
// that also run under plain Node (browser mode, CLI, engine worker) never load electron.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';

/** Bare module names a bundle loads, following its own relative chunks. */
function requires(file: string, seen = new Set<string>()): string[] {
  const path = resolve(file);
  if (seen.has(path)) return [];
  seen.add(path);
  const code = readFileSync(path, 'utf8');
  const found = new Set<string>();
  // require("x"), import("x"), and import/export statements at the start of a line (not prose in comments).
  const pattern =
    /\brequire\(["']([^"']+)["']\)|\bimport\(["']([^"']+)["']\)|^\s*(?:import|export)(?=[\s{*])[^;'"]*?(?:from\s*)?["']([^"']+)["']/gm;
  for (const match of code.matchAll(pattern)) {
    const name = match[1] ?? match[2] ?? match[3] ?? '';
    if (name.startsWith('.')) for (const inner of requires(join(dirname(path), name), seen)) found.add(inner);
    else found.add(name);
  }
  return [...found];
}

test('the sandboxed preload requires nothing but electron', () => {
  expect(requires('out/preload/index.cjs')).toEqual(['electron']);
});

test('browser mode, the CLI and the engine worker do not load electron', () => {
  for (const entry of ['out/main/web.js', 'out/main/cli.js', 'out/main/engine-worker.js']) {
    expect(requires(entry), entry).not.toContain('electron');
  }
  expect(requires('out/main/index.js')).toContain('electron');
});
