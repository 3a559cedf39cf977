// The engine's only door to onnxruntime-node: sessions, tensor conversion, version and providers.
export { EngineSession, allowsSpinning, sessionOptionsFor, type SessionOptions } from './session';
export { SessionCache, type SessionKey, type SessionSource } from './session-cache';
export {
  DEFAULT_PROVIDER,
  PROVIDER_LABELS,
  listProviders,
  ortVersion,
  probeProvider,
  probeProviders,
  type ExecutionProvider,
  type ProviderInfo,
  type ProviderProbe,
} from './providers';
export { ExecutionTarget, executionTarget, type ProviderOutcome } from './execution-target';
