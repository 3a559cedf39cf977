// The Hub access token's cipher on the desktop: Electron's safeStorage, whose key the operating system's keychain
// holds (macOS Keychain, Windows DPAPI, libsecret/kwallet on Linux). Where Linux has no keyring, safeStorage falls
// back to a fixed password ('basic_text'), which protects nothing: then null, and the key-file cipher is used.
import { safeStorage } from 'electron';
import type { SecretCipher } from '../services/hub';

export function keychainCipher(platform: NodeJS.Platform = process.platform): SecretCipher | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return null;
  return {
    kind: 'os-keychain',
    encrypt: async (plain) => safeStorage.encryptString(plain),
    decrypt: async (data) => safeStorage.decryptString(data),
  };
}
