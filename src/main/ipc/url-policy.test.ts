// The desktop shell's URL rules: which links open in the user's browser, and when the dev server may be the renderer.
import { describe, expect, it } from 'vitest';
import { devRendererUrl, externalUrlAllowed } from './url-policy';

describe('external links', () => {
  it('opens https pages of the allow-listed hosts and their subdomains only', () => {
    expect(externalUrlAllowed('https://huggingface.co/docs/peft')).toBe(true);
    expect(externalUrlAllowed('https://docs.github.com/en')).toBe(true);
    expect(externalUrlAllowed('https://onnxruntime.ai/docs/execution-providers/')).toBe(true);
  });

  it('refuses other schemes, hosts, look-alikes, credentials and ports', () => {
    for (const url of [
      'http://huggingface.co/',
      'file:///etc/passwd',
      'smb://server/share',
      'ms-msdt:/id',
      'javascript:alert(1)',
      'vscode://file/x',
      'https://evil.example/',
      'https://huggingface.co.evil.example/',
      'https://evilgithub.com/',
      'https://user:pw@github.com/',
      'https://github.com:8443/',
      'not a url',
      '',
    ])
      expect(externalUrlAllowed(url), url).toBe(false);
  });
});

describe('ELECTRON_RENDERER_URL', () => {
  const dev = { packaged: false, devBuild: true };
  it('is honoured in an unpackaged development build, on loopback', () => {
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, dev)).toBe('http://localhost:5173/');
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173/' }, dev)).toBe('http://127.0.0.1:5173/');
  });

  it('is ignored when packaged, in a production build, with NODE_ENV=production, or off loopback', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' };
    expect(devRendererUrl(env, { packaged: true, devBuild: true })).toBeUndefined();
    expect(devRendererUrl(env, { packaged: false, devBuild: false })).toBeUndefined();
    expect(devRendererUrl({ ...env, NODE_ENV: 'production' }, dev)).toBeUndefined();
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'https://evil.example/' }, dev)).toBeUndefined();
    expect(devRendererUrl({ ELECTRON_RENDERER_URL: 'file:///tmp/index.html' }, dev)).toBeUndefined();
    expect(devRendererUrl({}, dev)).toBeUndefined();
  });
});
