// What the installed onnxruntime-node offers (version, execution providers) and the probe that tells whether a
// provider can really create a session here, and if not why: ORT does not fall back by itself (['cuda','cpu'] throws).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InferenceSession, env, listSupportedBackends } from 'onnxruntime-node';
import { EXECUTION_PROVIDERS, PROVIDER_LABELS, type ExecutionProvider } from '../../../shared/contract/settings';
import { GraphBuilder } from '../graph/builder';
import { encodeModel } from '../graph/onnx-writer';

export { PROVIDER_LABELS, type ExecutionProvider } from '../../../shared/contract/settings';

export interface ProviderInfo {
  readonly name: string;
  /** False when the provider's libraries are not shipped in the package (CUDA/TensorRT are downloaded on opt-in). */
  readonly bundled: boolean;
}

export interface ProviderProbe {
  readonly name: ExecutionProvider;
  readonly label: string;
  readonly available: boolean;
  /** Why it cannot be used, and what to do where something can be done; null when available. */
  readonly reason: string | null;
}

/** The provider every build of onnxruntime-node has, and the one sessions fall back to. */
export const DEFAULT_PROVIDER = 'cpu';

/** Where onnxruntime-node ships each provider, for the reason given when this build lacks it. */
const SHIPPED_ON: Readonly<Record<ExecutionProvider, string>> = {
  cpu: 'every platform',
  cuda: 'Linux x64 and Windows x64, as an opt-in download',
  dml: 'Windows',
  coreml: 'macOS',
  webgpu: 'Windows, macOS and Linux x64',
};

export const CUDA_INSTALL_HINT =
  'run ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install';

export function ortVersion(): string {
  return env.versions.node ?? env.versions.common;
}

export function listProviders(): ProviderInfo[] {
  return listSupportedBackends().map((b) => ({ name: b.name, bundled: b.bundled }));
}

/**
 * Tries to create a tiny session with `[name]` only. Never throws: a provider that cannot start is reported with a
 * reason. The CPU session is created like any other, so a broken CPU build shows here too.
 */
export async function probeProvider(name: ExecutionProvider): Promise<ProviderProbe> {
  const label = PROVIDER_LABELS[name];
  const unavailable = (reason: string): ProviderProbe => ({ name, label, available: false, reason });
  const listed = listProviders().find((p) => p.name === name);
  if (!listed) {
    return unavailable(
      `${label} is not in onnxruntime-node ${ortVersion()} for ${process.platform}-${process.arch} (it ships for ${SHIPPED_ON[name]})`,
    );
  }
  try {
    const session = await InferenceSession.create(probeModel(), { executionProviders: [name], logSeverityLevel: 4 });
    await session.release();
    return { name, label, available: true, reason: null };
  } catch (error) {
    if (!listed.bundled && !providerLibraryInstalled(name))
      return unavailable(`${label} provider binaries are not installed: ${installHint(name)}`);
    return unavailable(`${label} could not start: ${describeOrtError(error)}${startHint(name)}`);
  }
}

export async function probeProviders(): Promise<ProviderProbe[]> {
  const probes: ProviderProbe[] = [];
  // one at a time: GPU drivers dislike races
  for (const name of EXECUTION_PROVIDERS) probes.push(await probeProvider(name));
  return probes;
}

/** ORT's message without source path and assertion, e.g. "Failed to get a WebGPU adapter: No supported adapters". */
export function describeOrtError(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).trim();
  const afterAssertion = /\bwas false\.\s*(.+)$/s.exec(message)?.[1];
  const withoutLocation = (afterAssertion ?? message).replace(/^\/\S+:\d+\s+/, '');
  return withoutLocation.split('\n')[0]?.trim() || 'unknown error';
}

let tinyModel: Uint8Array | undefined;

/** y = Relu(x), x: [2]: every provider runs it, so a failure is about the provider, not the graph. */
function probeModel(): Uint8Array {
  if (!tinyModel) {
    const g = new GraphBuilder('provider_probe');
    g.output('y', g.op.Relu(g.input('x', 'float32', [2])));
    tinyModel = encodeModel(g.build());
  }
  return tinyModel;
}

function installHint(name: ExecutionProvider): string {
  return name === 'cuda' ? CUDA_INSTALL_HINT : 'reinstall onnxruntime-node with the provider enabled';
}

function startHint(name: ExecutionProvider): string {
  if (name === 'webgpu' && process.platform === 'linux')
    // Measured on a headless NVIDIA machine: the driver's manifest names libGLX_nvidia.so.0, which cannot create a
    // Vulkan instance without an X display; a manifest naming libEGL_nvidia.so.0 works (docs/job-export.md).
    return ' (WebGPU on Linux needs a Vulkan driver: libvulkan1 and a GPU driver; on a headless NVIDIA machine, point VK_DRIVER_FILES at a manifest naming libEGL_nvidia.so.0)';
  if (name === 'cuda') return ' (needs an NVIDIA GPU with its driver, CUDA 12 and cuDNN 9)';
  return '';
}

/** Whether the downloaded provider library is next to the binding (CUDA's is only there after the opt-in install). */
function providerLibraryInstalled(name: ExecutionProvider): boolean {
  try {
    const dist = dirname(createRequire(import.meta.url).resolve('onnxruntime-node'));
    const bin = join(dist, '..', 'bin', 'napi-v6', process.platform, process.arch);
    const file =
      process.platform === 'win32' ? `onnxruntime_providers_${name}.dll` : `libonnxruntime_providers_${name}.so`;
    return existsSync(join(bin, file));
  } catch {
    return false; // the package layout is not as expected: report as not installed, with the install command
  }
}
