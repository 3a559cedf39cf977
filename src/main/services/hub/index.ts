export { HubService, type HubServiceDeps } from './hub-service';
export { TokenStore, fileKeyCipher, type SecretCipher } from './token-store';
