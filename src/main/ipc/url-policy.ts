// Which URLs the desktop shell lets out of the app or in as its renderer: shell.openExternal only for https links to
// an allow-list of documentation hosts (a link to file:, smb: or a custom scheme could run programs on the user's
// machine), and the dev server's ELECTRON_RENDERER_URL only in a development build that is not packaged, on loopback.
// Pure functions (no electron), so they are tested directly.

/** Hosts whose https pages the app may open in the user's browser (and their subdomains). */
export const EXTERNAL_HOSTS: readonly string[] = ['huggingface.co', 'github.com', 'onnxruntime.ai'];

export function externalUrlAllowed(raw: string, hosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return false;
  const host = url.hostname.toLowerCase();
  return hosts.some((h) => host === h || host.endsWith(`.${h}`));
}

export interface BuildFacts {
  /** app.isPackaged */
  readonly packaged: boolean;
  /** Built by the dev server (electron-vite dev), not by `electron-vite build`. */
  readonly devBuild: boolean;
}

/** The renderer URL from the environment when this is a development run, else undefined (the app:// origin). */
export function devRendererUrl(env: NodeJS.ProcessEnv, build: BuildFacts): string | undefined {
  const raw = env.ELECTRON_RENDERER_URL;
  if (raw === undefined || raw === '' || build.packaged || !build.devBuild || env.NODE_ENV === 'production')
    return undefined;
  try {
    const url = new URL(raw);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname.toLowerCase());
    return (url.protocol === 'http:' || url.protocol === 'https:') && loopback ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}
