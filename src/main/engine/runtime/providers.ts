// What the installed onnxruntime-node offers: its version and execution providers. Only CPU is used for now;
// issue 3 adds choosing CUDA/DirectML/CoreML/WebGPU with an explicit probe, since ORT does not fall back by itself.
import { env, listSupportedBackends } from 'onnxruntime-node';

export interface ProviderInfo {
  readonly name: string;
  /** False when the provider's libraries are not shipped in the package (CUDA/TensorRT are downloaded on opt-in). */
  readonly bundled: boolean;
}

export function ortVersion(): string {
  return env.versions.node ?? env.versions.common;
}

export function listProviders(): ProviderInfo[] {
  return listSupportedBackends().map((b) => ({ name: b.name, bundled: b.bundled }));
}

/** The provider sessions use; CPU is in every build of onnxruntime-node. */
export const DEFAULT_PROVIDER = 'cpu';
