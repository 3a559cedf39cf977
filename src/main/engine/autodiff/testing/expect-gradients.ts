// Test helper: a gradient check that must pass for every parameter, and must have checked at least one.
import { expect } from 'vitest';
import { gradcheck, type GradcheckCase } from '../gradcheck';

export async function expectGradientsMatch(c: GradcheckCase): Promise<void> {
  const result = await gradcheck(c);
  expect(result.failures).toEqual([]);
  expect(result.params.length).toBeGreaterThan(0);
}
