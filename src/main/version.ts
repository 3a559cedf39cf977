// The app version, injected at build time from package.json (electron-vite define), with a fallback for tests.
declare const __DOVETAIL_VERSION__: string | undefined;
export const APP_VERSION: string = typeof __DOVETAIL_VERSION__ === 'string' ? __DOVETAIL_VERSION__ : '0.0.0-dev';
