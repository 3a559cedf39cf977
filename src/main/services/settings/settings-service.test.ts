// The settings service through the contract's dispatcher: defaults, validation naming the field, a damaged file,
// persistence across instances, ordered updates, and that `apply` runs only when something changed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Settings, settingsContract } from '../../../shared/contract/settings';
import { Dispatcher } from '../../api/dispatcher';
import { SETTINGS_FILE } from './settings-file';
import { SettingsService, type SettingsServiceOptions } from './settings-service';

let dir = '';
const DEFAULTS: Settings = {
  engine: { executionProvider: 'cpu', threads: 0, spinThreads: false, weightFormats: {} },
  hub: { endpoint: 'https://huggingface.co', offline: false, proxy: '', idleTimeoutSeconds: 60 },
  playground: {},
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-settings-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function open(options: Partial<SettingsServiceOptions> = {}) {
  const events: unknown[] = [];
  const warnings: string[] = [];
  const applied: [Settings, Settings][] = [];
  const service = new SettingsService({
    userDataDir: path.join(dir, 'user-data'),
    events: { emit: (_event, payload) => events.push(payload) },
    maxThreads: 4,
    onWarning: (message) => warnings.push(message),
    apply: async (next, previous) => void applied.push([next, previous]),
    ...options,
  });
  const dispatcher = new Dispatcher({ settings: settingsContract }, { settings: service }, { validateResults: true });
  const call = (method: string, arg: unknown) =>
    dispatcher.handle({ service: 'settings', method, arg }, { transport: 'test' });
  return { service, call, events, warnings, applied };
}

const file = () => path.join(dir, 'user-data', SETTINGS_FILE);

describe('SettingsService', () => {
  it('starts from the defaults when there is no file, and reports the thread limit', async () => {
    const { call, warnings } = open();
    expect(await call('get', {})).toEqual({ ok: true, result: DEFAULTS });
    expect(await call('limits', {})).toEqual({ ok: true, result: { maxThreads: 4 } });
    expect(warnings).toEqual([]);
    expect(fs.existsSync(file())).toBe(false); // nothing is written until something changes
  });

  it('saves an update, announces it, applies it, and a new instance reads it back', async () => {
    const a = open();
    const result = await a.call('update', { engine: { executionProvider: 'cuda' } });
    const cuda = {
      engine: { executionProvider: 'cuda', threads: 0, spinThreads: false, weightFormats: {} },
      hub: DEFAULTS.hub,
      playground: {},
    };
    expect(result).toEqual({ ok: true, result: cuda });
    expect(a.events).toEqual([cuda]);
    expect(a.applied).toEqual([[cuda, DEFAULTS]]);
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toEqual({ version: 1, ...cuda });

    await a.call('update', { engine: { threads: 2 } });
    const b = open();
    expect(await b.call('get', {})).toEqual({
      ok: true,
      result: {
        engine: { executionProvider: 'cuda', threads: 2, spinThreads: false, weightFormats: {} },
        hub: DEFAULTS.hub,
        playground: {},
      },
    });
    expect(b.warnings).toEqual([]);
    expect(fs.readdirSync(path.dirname(file()))).toEqual([SETTINGS_FILE]); // no temp files left by the atomic writes
  });

  it('does not save, announce or apply an update that changes nothing', async () => {
    const { call, events, applied } = open();
    expect(await call('update', { engine: { executionProvider: 'cpu', threads: 0 } })).toEqual({
      ok: true,
      result: DEFAULTS,
    });
    expect(events).toEqual([]);
    expect(applied).toEqual([]);
    expect(fs.existsSync(file())).toBe(false);
  });

  it('rejects invalid updates with an error naming the field, and keeps the settings', async () => {
    const { call, events } = open();
    const cases: [unknown, string][] = [
      [{ engine: { executionProvider: 'tpu' } }, 'settings.update: engine.executionProvider'],
      [{ engine: { threads: -1 } }, 'settings.update: engine.threads'],
      [{ engine: { threads: 1.5 } }, 'settings.update: engine.threads'],
      [{ engine: { threads: 5 } }, 'settings.update: engine.threads'], // more than this machine's 4 cores
      [{ engine: { spinThreads: 'yes' } }, 'settings.update: engine.spinThreads'],
      [{ engine: { spinThreads: 1 } }, 'settings.update: engine.spinThreads'],
      [{ engine: { thread: 2 } }, 'settings.update: engine'],
      [{ theme: 'dark' }, 'settings.update'],
    ];
    for (const [arg, where] of cases) {
      const response = await call('update', arg);
      expect(response, JSON.stringify(arg)).toMatchObject({
        ok: false,
        error: { kind: 'user', code: 'validation', where },
      });
    }
    expect(await call('update', { engine: { threads: 5 } })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('1 to 4') },
    });
    expect(await call('get', {})).toEqual({ ok: true, result: DEFAULTS });
    expect(events).toEqual([]);
  });

  it('reads a file that is not JSON as the defaults, with a warning, and replaces it on the next change', async () => {
    fs.mkdirSync(path.dirname(file()), { recursive: true });
    fs.writeFileSync(file(), '{"version": 1, "engine": {"executionPro');
    const { call, warnings } = open();
    expect(await call('get', {})).toEqual({ ok: true, result: DEFAULTS });
    expect(warnings).toEqual([expect.stringContaining('is not valid JSON')]);
    await call('update', { engine: { threads: 1 } });
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toEqual({
      version: 1,
      engine: { executionProvider: 'cpu', threads: 1, spinThreads: false, weightFormats: {} },
      hub: DEFAULTS.hub,
      playground: {},
    });
  });

  it('keeps the valid fields of a damaged file and names each field it replaced with its default', async () => {
    fs.mkdirSync(path.dirname(file()), { recursive: true });
    fs.writeFileSync(
      file(),
      JSON.stringify({ version: 1, engine: { executionProvider: 'quantum', threads: 2 }, future: true }),
    );
    const a = open();
    expect(await a.call('get', {})).toEqual({
      ok: true,
      result: {
        engine: { executionProvider: 'cpu', threads: 2, spinThreads: false, weightFormats: {} },
        hub: DEFAULTS.hub,
        playground: {},
      },
    });
    expect(a.warnings).toEqual([expect.stringMatching(/engine\.executionProvider: .*using its default/)]);

    for (const content of ['[1, 2]', '"cpu"', 'null', JSON.stringify({ engine: 'fast' })]) {
      fs.writeFileSync(file(), content);
      const b = open();
      expect(await b.call('get', {}), content).toEqual({ ok: true, result: DEFAULTS });
      expect(b.warnings.length, content).toBeGreaterThan(0);
    }
  });

  it('reads a file written before spinThreads existed with spinning off (the default), without a warning', async () => {
    fs.mkdirSync(path.dirname(file()), { recursive: true });
    fs.writeFileSync(file(), JSON.stringify({ version: 1, engine: { executionProvider: 'cpu', threads: 2 } }));
    const { call, warnings } = open();
    expect(await call('get', {})).toEqual({
      ok: true,
      result: {
        engine: { executionProvider: 'cpu', threads: 2, spinThreads: false, weightFormats: {} },
        hub: DEFAULTS.hub,
        playground: {},
      },
    });
    expect(warnings).toEqual([]);
  });

  it('replaces a spinThreads that is not a boolean with its default, with a warning, keeping the other fields', async () => {
    fs.mkdirSync(path.dirname(file()), { recursive: true });
    fs.writeFileSync(
      file(),
      JSON.stringify({ version: 1, engine: { executionProvider: 'cpu', threads: 1, spinThreads: 'no' } }),
    );
    const { call, warnings } = open();
    expect(await call('get', {})).toEqual({
      ok: true,
      result: {
        engine: { executionProvider: 'cpu', threads: 1, spinThreads: false, weightFormats: {} },
        hub: DEFAULTS.hub,
        playground: {},
      },
    });
    expect(warnings).toEqual([expect.stringMatching(/engine\.spinThreads: .*using its default/)]);
  });

  it('saves spinThreads on, applies it, and a new instance reads it back', async () => {
    const a = open();
    const on = {
      engine: { executionProvider: 'cpu', threads: 0, spinThreads: true, weightFormats: {} },
      hub: DEFAULTS.hub,
      playground: {},
    };
    expect(await a.call('update', { engine: { spinThreads: true } })).toEqual({ ok: true, result: on });
    expect(a.applied).toEqual([[on, DEFAULTS]]);
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toEqual({ version: 1, ...on });
    expect(await open().call('get', {})).toEqual({ ok: true, result: on });
  });

  it('uses automatic threads when the file asks for more than this machine has', async () => {
    fs.mkdirSync(path.dirname(file()), { recursive: true });
    fs.writeFileSync(file(), JSON.stringify({ version: 1, engine: { executionProvider: 'cpu', threads: 64 } }));
    const { call, warnings } = open();
    expect(await call('get', {})).toEqual({ ok: true, result: DEFAULTS });
    expect(warnings).toEqual([expect.stringContaining('engine.threads: 64 is more than')]);
  });

  it('applies quick successive updates in order, each seeing the previous one', async () => {
    const { service, applied } = open();
    await Promise.all([
      service.update({ engine: { threads: 1 } }),
      service.update({ engine: { executionProvider: 'webgpu' } }),
    ]);
    expect(applied.map(([next]) => next.engine)).toEqual([
      { executionProvider: 'cpu', threads: 1, spinThreads: false, weightFormats: {} },
      { executionProvider: 'webgpu', threads: 1, spinThreads: false, weightFormats: {} },
    ]);
    expect(await service.get()).toEqual({
      engine: { executionProvider: 'webgpu', threads: 1, spinThreads: false, weightFormats: {} },
      hub: DEFAULTS.hub,
      playground: {},
    });
  });

  it('saves the Hub settings and refuses an address or proxy that is not an http(s) URL, naming the field', async () => {
    const { call } = open();
    const hub = {
      endpoint: 'http://127.0.0.1:9999',
      offline: true,
      proxy: 'http://proxy.local:3128',
      idleTimeoutSeconds: 15,
    };
    expect(await call('update', { hub })).toEqual({
      ok: true,
      result: { engine: DEFAULTS.engine, hub, playground: {} },
    });
    for (const [field, value] of [
      ['endpoint', 'file:///etc'],
      ['proxy', 'socks5://x:1'],
      ['idleTimeoutSeconds', 0],
      ['idleTimeoutSeconds', 7200],
    ] as const) {
      const bad = await call('update', { hub: { [field]: value } });
      expect(bad.ok).toBe(false);
      expect(JSON.stringify(bad)).toContain(`hub.${field}`);
    }
    expect(await call('get', {})).toMatchObject({ ok: true, result: { hub } });
  });

  it('keeps weight formats per model by content hash and rejects an unknown format, naming it', async () => {
    const { call } = open();
    expect(await call('update', { engine: { weightFormats: { abc123: 'q4' } } })).toEqual({
      ok: true,
      result: { engine: { ...DEFAULTS.engine, weightFormats: { abc123: 'q4' } }, hub: DEFAULTS.hub, playground: {} },
    });
    const bad = await call('update', { engine: { weightFormats: { abc123: 'q3' } } });
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).toMatch(/weightFormats/);
    expect(await call('get', {})).toEqual({
      ok: true,
      result: { engine: { ...DEFAULTS.engine, weightFormats: { abc123: 'q4' } }, hub: DEFAULTS.hub, playground: {} },
    });
  });

  it('the schema fills every default, so later settings can be added beside engine', () => {
    expect(Settings.parse({})).toEqual(DEFAULTS);
    expect(Settings.parse({ engine: {} })).toEqual(DEFAULTS);
  });
});
