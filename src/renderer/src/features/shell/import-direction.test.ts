// Imports point one way: features may use the shell's registry types and helpers; the shell imports no feature,
// and no feature imports the composition root (src/renderer/src/root), which alone assembles the sections.
import { describe, expect, it } from 'vitest';

const shell = import.meta.glob<string>('./*.{ts,tsx}', { query: '?raw', import: 'default', eager: true });
const features = import.meta.glob<string>('../**/*.{ts,tsx}', { query: '?raw', import: 'default', eager: true });

function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map(
    (m) => m[1] ?? m[2] ?? '',
  );
}

describe('renderer import direction', () => {
  it('the shell imports no feature', () => {
    const offending = Object.entries(shell).flatMap(([file, source]) =>
      importsOf(source)
        .filter((i) => /^\.\.\/[^./]/.test(i))
        .map((i) => `${file} -> ${i}`),
    );
    expect(Object.keys(shell).length).toBeGreaterThan(3);
    expect(offending).toEqual([]);
  });

  it('no feature imports the composition root', () => {
    const offending = Object.entries(features).flatMap(([file, source]) =>
      importsOf(source)
        .filter((i) => /(^|\/)root\//.test(i))
        .map((i) => `${file} -> ${i}`),
    );
    expect(Object.keys(features).length).toBeGreaterThan(50);
    expect(offending).toEqual([]);
  });
});
