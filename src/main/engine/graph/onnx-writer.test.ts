// The writer's output is checked by onnxruntime itself: the bytes load, and the numbers are the ones computed by hand.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineSession } from '../runtime';
import { GraphBuilder } from './builder';
import { ONNX_IR_VERSION, encodeModel } from './onnx-writer';
import { f32, i64, type Tensor } from './tensor';

const sessions: EngineSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.dispose();
});

const values = (t: Tensor | undefined): unknown[] => (t ? Array.from(t.data as ArrayLike<unknown>) : []);

async function open(bytes: Uint8Array, externalDataFolder?: string): Promise<EngineSession> {
  const session = await EngineSession.create(bytes, {
    threads: 1,
    ...(externalDataFolder ? { externalDataFolder } : {}),
  });
  sessions.push(session);
  return session;
}

describe('ONNX writer', () => {
  it('records the IR version, opset, producer and symbolic dims', () => {
    const g = new GraphBuilder('meta', 21);
    g.output('y', g.op.Relu(g.input('x', 'float32', ['B', 4])));
    const model = onnxProto.onnx.ModelProto.decode(encodeModel(g.build(), { producerVersion: '0.1.0' }));
    expect(Number(model.irVersion)).toBe(ONNX_IR_VERSION);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 21]]);
    expect(model.producerName).toBe('dovetail');
    const dims = model.graph?.input?.[0]?.type?.tensorType?.shape?.dim ?? [];
    expect(dims.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['B', 4]);
  });

  it('writes a graph that onnxruntime loads and computes: y = relu(x W + b), s = sum_j y', async () => {
    const g = new GraphBuilder('linear');
    const x = g.input('x', 'float32', ['B', 3]); // x: [B, 3]
    const w = g.initializer('w', f32([3, 2], [1, -1, 2, 0.5, -3, 1])); // w: [3, 2]
    const b = g.initializer('b', f32([2], [0.5, -0.25])); // b: [2]
    const y = g.output('y', g.op.Relu(g.op.Add(g.op.MatMul(x, w), b))); // y: [B, 2]
    g.output('s', g.op.ReduceSum(y, [1], { keepdims: false })); // s: [B]
    g.output('t', g.op.Cast(g.op.Transpose(y), 'float64')); // t: [2, B] float64
    const session = await open(encodeModel(g.build()));
    expect(session.inputNames).toEqual(['x']);

    const out = await session.run({ x: f32([2, 3], [1, 2, 3, -1, 0, 1]) });
    // Row 0: [1+4-9, -1+1+3] + b = [-3.5, 2.75] -> relu [0, 2.75]. Row 1: [-1-3, 1+1] + b = [-3.5, 1.75] -> [0, 1.75].
    expect(out['y']?.dims).toEqual([2, 2]);
    expect(values(out['y'])).toEqual([0, 2.75, 0, 1.75]);
    expect(values(out['s'])).toEqual([2.75, 1.75]);
    expect(out['t']?.dtype).toBe('float64');
    expect(values(out['t'])).toEqual([0, 0, 2.75, 1.75]);
  });

  it('writes Constant nodes and int64 math', async () => {
    const g = new GraphBuilder('ints');
    const x = g.input('x', 'int64', [3]);
    g.output('y', g.op.Mul(g.op.Sub(x, g.constant(i64([1], [1]))), g.constant(i64([3], [2, 3, 4]))));
    const out = await (await open(encodeModel(g.build()))).run({ x: i64([3], [5, 6, 7]) });
    expect(values(out['y'])).toEqual([8n, 15n, 24n]);
  });

  describe('external data', () => {
    const folder = mkdtempSync(join(tmpdir(), 'dovetail-ext-'));
    afterAll(() => rmSync(folder, { recursive: true, force: true }));

    it('reads initializers from a file at an offset, as it will from safetensors', async () => {
      const header = new Uint8Array(12); // bytes before the weights, like a safetensors header
      const weights = new Float32Array([2, 3, 4, 5]); // w: [2, 2]
      writeFileSync(join(folder, 'weights.bin'), Buffer.concat([header, new Uint8Array(weights.buffer)]));
      const g = new GraphBuilder('external');
      const x = g.input('x', 'float32', [1, 2]);
      const w = g.initializer('w', { dtype: 'float32', dims: [2, 2], location: 'weights.bin', offset: 12, length: 16 });
      g.output('y', g.op.MatMul(x, w));
      const out = await (await open(encodeModel(g.build()), folder)).run({ x: f32([1, 2], [1, 10]) });
      expect(values(out['y'])).toEqual([2 + 40, 3 + 50]);
    });
  });
});
