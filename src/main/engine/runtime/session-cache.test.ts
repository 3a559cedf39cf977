// The session cache: one creation per (model, kind) even when asked concurrently, and release only on request.
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../graph/builder';
import { encodeModel } from '../graph/onnx-writer';
import { f32 } from '../graph/tensor';
import { SessionCache } from './session-cache';

function reluModel(): Uint8Array {
  const g = new GraphBuilder('relu');
  g.output('y', g.op.Relu(g.input('x', 'float32', [2])));
  return encodeModel(g.build());
}

describe('SessionCache', () => {
  it('creates each (model, kind) once, shares concurrent creations, and releases deliberately', async () => {
    const cache = new SessionCache({ threads: 1 });
    let builds = 0;
    const build = () => {
      builds++;
      return { model: reluModel() };
    };
    const [a, b] = await Promise.all([
      cache.get({ model: 'm1', kind: 'inference' }, build),
      cache.get({ model: 'm1', kind: 'inference' }, build),
    ]);
    expect(a).toBe(b);
    expect(builds).toBe(1);
    const c = await cache.get({ model: 'm1', kind: 'training' }, build);
    const d = await cache.get({ model: 'm2', kind: 'inference' }, build);
    expect(builds).toBe(3);
    expect(cache.size).toBe(3);

    await cache.release({ model: 'm1', kind: 'inference' });
    await expect(a.run({ x: f32([2], [1, -1]) })).rejects.toThrow(/after dispose/);
    expect(cache.has({ model: 'm1', kind: 'training' })).toBe(true);
    await cache.releaseModel('m1');
    await expect(c.run({ x: f32([2], [1, -1]) })).rejects.toThrow(/after dispose/);
    expect(cache.size).toBe(1);
    expect(Array.from((await d.run({ x: f32([2], [1, -1]) }))['y']!.data as Float32Array)).toEqual([1, 0]);
    await cache.dispose();
    await expect(d.run({ x: f32([2], [1, -1]) })).rejects.toThrow(/after dispose/);
    await expect(cache.get({ model: 'm3', kind: 'inference' }, build)).rejects.toThrow(/after dispose/);
  });

  it('does not cache a failed creation', async () => {
    const cache = new SessionCache({ threads: 1 });
    await expect(
      cache.get({ model: 'bad', kind: 'inference' }, () => ({ model: new Uint8Array([1, 2, 3]) })),
    ).rejects.toThrow();
    expect(cache.size).toBe(0);
    await cache.dispose();
  });
});
