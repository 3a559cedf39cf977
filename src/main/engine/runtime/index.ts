// The engine's only door to onnxruntime-node: sessions, tensor conversion, version and providers.
export { EngineSession, type SessionOptions } from './session';
export { SessionCache, type SessionKey, type SessionSource } from './session-cache';
export { DEFAULT_PROVIDER, listProviders, ortVersion, type ProviderInfo } from './providers';
