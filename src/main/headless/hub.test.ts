// `models add-hub` over the composed app (real dispatcher, registry, SQLite and engine worker) against the local mock
// Hub: a checkpoint is downloaded, verified and registered; a tampered one exits 1 with nothing registered; the access
// token is redacted in the audit log.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockHub, MOCK_HUB_TOKEN, type MockHub } from '../testing/mock-hub';
import { useDemoApp } from '../testing/demo-app';
import { runAddHub } from './hub';

const TINY = path.resolve('src/main/engine/models/__fixtures__/tiny-llama-f32');
const ctx = useDemoApp('hub-cli');
let hub: MockHub;

beforeAll(async () => {
  hub = await startMockHub({
    'dovetail/tiny': { folder: TINY, dropOnce: ['model.safetensors'] },
    'dovetail/tampered': { folder: TINY, corrupt: ['tokenizer.json'] },
  });
  await ctx.api.settings.update({ hub: { endpoint: hub.url } });
});
afterAll(() => hub.close());

describe('models add-hub', () => {
  it('downloads, verifies and registers a checkpoint; a tampered one is refused with nothing registered', async () => {
    const before = await ctx.api.models.list({});
    const lines: string[] = [];
    const log = (...more: string[]) => lines.push(...more);

    expect(await runAddHub(ctx.api, 'dovetail/tampered', { log })).toBe(1);
    expect(lines.join('\n')).toContain("tokenizer.json from dovetail/tampered does not match the Hub's checksum");
    expect(await ctx.api.models.list({})).toHaveLength(before.length);

    expect(await runAddHub(ctx.api, 'dovetail/tiny', { name: 'Tiny from the Hub', log })).toBe(0);
    expect(lines.join('\n')).toContain('resumed 1x after dropped connections');
    const added = (await ctx.api.models.list({})).find((m) => m.name === 'Tiny from the Hub');
    expect(added?.architecture).toBe('LlamaForCausalLM');
    expect(added?.folder).toContain(path.join('hub', 'models', 'dovetail--tiny', hub.commitOf('dovetail/tiny')));
    expect(added?.available).toBe(true);
  });

  it('keeps the access token out of the audit log', async () => {
    await ctx.api.hub.setToken({ token: MOCK_HUB_TOKEN });
    const page = await ctx.api.audit.list({ filter: { method: 'hub.setToken' } });
    expect(page.entries.length).toBeGreaterThan(0);
    expect(JSON.stringify(page.entries)).not.toContain(MOCK_HUB_TOKEN);
    expect(page.entries[0]?.args).toEqual({ token: '[redacted]' });
    expect(await ctx.api.hub.status({})).toMatchObject({ tokenStored: true, tokenStorage: 'encrypted-file' });
  });
});
