// sessionOptionsFor: inference sessions spin only when asked, training ('lean') sessions never, and the inter-op
// pool never; lean sessions turn off the arena, the memory pattern and prepacking; a spinning session runs.
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../graph/builder';
import { encodeModel } from '../graph/onnx-writer';
import { f32 } from '../graph/tensor';
import { EngineSession, sessionOptionsFor, type SessionOptions } from './session';

function spinning(options: SessionOptions): unknown {
  return (sessionOptionsFor(options, 'cpu').extra as { session: Record<string, string> }).session;
}

describe('sessionOptionsFor', () => {
  it('spins the intra-op pool of a fast (inference) session only when asked', () => {
    expect(spinning({ threads: 1, spinThreads: true })).toMatchObject({
      'intra_op.allow_spinning': '1',
      'inter_op.allow_spinning': '0',
    });
    expect(spinning({ threads: 1, memory: 'fast', spinThreads: true })).toMatchObject({
      'intra_op.allow_spinning': '1',
    });
    expect(spinning({ threads: 1, spinThreads: false })).toMatchObject({
      'intra_op.allow_spinning': '0',
      'inter_op.allow_spinning': '0',
    });
    expect(spinning({ threads: 1 })).toMatchObject({ 'intra_op.allow_spinning': '0' });
  });

  it('never spins a lean (training) session, whatever the setting', () => {
    for (const spinThreads of [true, false, undefined]) {
      expect(spinning({ threads: 1, memory: 'lean', spinThreads })).toMatchObject({
        'intra_op.allow_spinning': '0',
        'inter_op.allow_spinning': '0',
      });
    }
  });

  it('gives lean (training) sessions no arena, no memory pattern and no prepacking; fast ones keep ORT defaults', () => {
    const lean = sessionOptionsFor({ threads: 1, memory: 'lean' }, 'cpu');
    expect(lean).toMatchObject({ enableCpuMemArena: false, enableMemPattern: false });
    expect(spinning({ threads: 1, memory: 'lean' })).toMatchObject({ disable_prepacking: '1' });
    const fast = sessionOptionsFor({ threads: 1 }, 'cpu');
    expect(fast.enableCpuMemArena).toBeUndefined();
    expect(fast.enableMemPattern).toBeUndefined();
    expect(spinning({ threads: 1 })).not.toHaveProperty('disable_prepacking');
  });

  it('creates and runs a session with spinning on', async () => {
    const g = new GraphBuilder('relu');
    g.output('y', g.op.Relu(g.input('x', 'float32', [2])));
    const session = await EngineSession.create(encodeModel(g.build()), { threads: 2, spinThreads: true });
    try {
      const out = await session.run({ x: f32([2], [-1, 3]) });
      expect(Array.from(out['y']!.data as Float32Array)).toEqual([0, 3]);
    } finally {
      await session.dispose();
    }
  });

  it('returns only the outputs asked for, all of them by default', async () => {
    const g = new GraphBuilder('two-outputs');
    const x = g.input('x', 'float32', [2]);
    g.output('relu', g.op.Relu(x));
    g.output('neg', g.op.Neg(x));
    const session = await EngineSession.create(encodeModel(g.build()), { threads: 1 });
    try {
      const feeds = { x: f32([2], [-1, 3]) };
      expect(Object.keys(await session.run(feeds)).sort()).toEqual(['neg', 'relu']);
      const only = await session.run(feeds, ['neg']);
      expect(Object.keys(only)).toEqual(['neg']);
      expect(Array.from(only['neg']!.data as Float32Array)).toEqual([1, -3]);
    } finally {
      await session.dispose();
    }
  });
});
