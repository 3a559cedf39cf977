// Execution providers on this machine (Linux x64, no GPU, CUDA binaries not installed): the probe reports each one
// with a clear reason, and sessions asked for an unavailable provider are created on CPU with the fallback recorded.
import { describe, expect, it } from 'vitest';
import { EXECUTION_PROVIDERS } from '../../../shared/contract/settings';
import { GraphBuilder } from '../graph/builder';
import { encodeModel } from '../graph/onnx-writer';
import { f32 } from '../graph/tensor';
import { ExecutionTarget } from './execution-target';
import { CUDA_INSTALL_HINT, describeOrtError, probeProvider, probeProviders } from './providers';
import { EngineSession } from './session';
import { SessionCache } from './session-cache';

function reluModel(): Uint8Array {
  const g = new GraphBuilder('relu');
  g.output('y', g.op.Relu(g.input('x', 'float32', [2])));
  return encodeModel(g.build());
}

const onLinuxX64 = process.platform === 'linux' && process.arch === 'x64';

describe('probeProviders', () => {
  it('reports every provider, CPU available, each unavailable one with a one-line reason and no crash', async () => {
    const probes = await probeProviders();
    expect(probes.map((p) => p.name)).toEqual([...EXECUTION_PROVIDERS]);
    expect(probes[0]).toEqual({ name: 'cpu', label: 'CPU', available: true, reason: null });
    for (const p of probes.filter((probe) => !probe.available)) {
      expect(p.reason, p.name).toMatch(new RegExp(`^${p.label} `));
      expect(p.reason, p.name).not.toMatch(/\n|onnxruntime_src|\.cc:\d/); // ORT's source locations are stripped
    }
  });

  it.runIf(onLinuxX64)(
    'on Linux x64 without the CUDA download: CUDA unavailable with the install command',
    async () => {
      expect(await probeProvider('cuda')).toEqual({
        name: 'cuda',
        label: 'CUDA',
        available: false,
        reason: `CUDA provider binaries are not installed: ${CUDA_INSTALL_HINT}`,
      });
      expect(CUDA_INSTALL_HINT).toBe(
        'run ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install',
      );
      expect((await probeProvider('dml')).reason).toBe(
        'DirectML is not in onnxruntime-node 1.30.0 for linux-x64 (it ships for Windows)',
      );
      expect((await probeProvider('coreml')).reason).toBe(
        'CoreML is not in onnxruntime-node 1.30.0 for linux-x64 (it ships for macOS)',
      );
      const webgpu = await probeProvider('webgpu');
      if (!webgpu.available) expect(webgpu.reason).toMatch(/^WebGPU could not start: .+/); // no GPU or Vulkan here
    },
  );

  it('reduces ORT messages to what they say', () => {
    const webgpu =
      '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(...) ' +
      'adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters';
    expect(describeOrtError(new Error(webgpu))).toBe('Failed to get a WebGPU adapter: No supported adapters');
    expect(describeOrtError(new Error('/src/x.cc:12 Load model failed\nmore'))).toBe('Load model failed');
    expect(describeOrtError('plain')).toBe('plain');
  });
});

describe.runIf(onLinuxX64)('sessions on an unavailable provider', () => {
  it('are created on CPU, and the target records the fallback with its reason', async () => {
    const target = new ExecutionTarget();
    const outcomes: unknown[] = [];
    target.onChange((o) => outcomes.push(o));
    const outcome = await target.configure('cuda');
    expect(outcome).toEqual({
      requested: 'cuda',
      used: 'cpu',
      fallbackReason: `CUDA provider binaries are not installed: ${CUDA_INSTALL_HINT}`,
    });
    expect(outcomes).toEqual([outcome]);

    const session = await EngineSession.create(reluModel(), { threads: 1, target });
    expect(session.provider).toBe('cpu');
    expect(Array.from((await session.run({ x: f32([2], [1, -1]) }))['y']!.data as Float32Array)).toEqual([1, 0]);
    await session.dispose();

    const cache = new SessionCache({ threads: 1, target });
    expect((await cache.get({ model: 'm', kind: 'inference' }, () => ({ model: reluModel() }))).provider).toBe('cpu');
    await cache.dispose();

    expect(await target.configure('cpu')).toEqual({ requested: 'cpu', used: 'cpu', fallbackReason: null });
  });

  it('fall back per session when the provider passed its probe but fails for one session', async () => {
    // A target that skips the probe stands for "the provider starts, but not for this model".
    class Unprobed extends ExecutionTarget {
      override get preferred() {
        return 'cuda' as const;
      }
    }
    const target = new Unprobed();
    const session = await EngineSession.create(reluModel(), { threads: 1, target });
    expect(session.provider).toBe('cpu');
    expect(target.outcome).toEqual({
      requested: 'cpu',
      used: 'cpu',
      fallbackReason: expect.stringMatching(/^CUDA could not create this session: /),
    });
    await session.dispose();
  });

  it('still fail with the model error when the model itself is bad', async () => {
    const target = new ExecutionTarget();
    await target.configure('webgpu');
    await expect(EngineSession.create(new Uint8Array([1, 2, 3]), { threads: 1, target })).rejects.toThrow();
  });
});
