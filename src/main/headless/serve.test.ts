// `dovetail serve` over the composed app with the demo workspace: it prints a new key once and the address, serves
// the workspace's releases to the openai client until told to stop, and refuses a port that is not one.
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../testing/demo-app';
import { runServe } from './serve';

const ctx = useDemoApp('serve-cli');

describe('runServe', () => {
  it('prints a new key and the address, serves until stopped, then stops the endpoint', async () => {
    const { api, demo } = ctx;
    const spec = await api.specializations.create({
      name: 'CLI served',
      modelId: demo.modelIds[0] as string,
      decoding: { max_new_tokens: 4 },
    });
    await api.releases.create({ specializationId: spec.id, name: 'cli', version: '0.1.0' });
    const lines: string[] = [];
    let stop = (): void => undefined;
    const until = new Promise<void>((resolve) => (stop = resolve));
    let listed: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (listed = resolve));
    const served = runServe(api, {
      port: 0,
      allowNetwork: false,
      newKey: 'cli test',
      until,
      log: (...l) => {
        lines.push(...l);
        if (l.some((x) => x.startsWith('Serving'))) listed();
      },
    });
    await ready;
    const key = /API key "cli test".*: (sk-dt-\S+)/.exec(lines.join('\n'))?.[1] ?? '';
    const baseURL = /at (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(lines.join('\n'))?.[1] ?? '';
    expect(lines).toContain('  cli@0.1.0');
    const client = new OpenAI({ apiKey: key, baseURL, maxRetries: 0 });
    const answer = await client.completions.create({ model: 'cli@0.1.0', prompt: 'Hello', max_tokens: 3 });
    expect(answer.usage?.completion_tokens).toBeLessThanOrEqual(3);
    stop();
    expect(await served).toBe(0);
    expect((await api.serving.status({})).running).toBe(false);
  });

  it('refuses a port that is not a port, naming the flag', async () => {
    await expect(runServe(ctx.api, { port: 70_000, allowNetwork: false, log: () => undefined })).rejects.toMatchObject({
      where: '--port',
    });
  });
});
