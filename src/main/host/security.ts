// The one Content-Security-Policy of the renderer, applied by the browser-mode server and the Electron session.
// style-src needs 'unsafe-inline' because MUI (emotion) and Monaco inject <style> elements at run time.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
