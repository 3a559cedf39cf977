// The demo workspace through the real workspace store, models registry, datasets service and engine worker: created
// once with the bundled model and datasets, reopened (not duplicated) on the next click.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawnChildProcess } from '../../host/engine-channel';
import { EngineHost } from '../../host/engine-host';
import { RenderHost } from '../../host/render-host';
import { engineWorkerScript, renderWorkerScript } from '../../host/testing/engine-worker-script';
import { DatasetsService } from '../datasets';
import { ModelsService } from '../models';
import { TemplatesService } from '../templates';
import { WorkspaceService } from '../workspace';
import { DemoService, DEMO_WORKSPACE_NAME } from './demo-service';

const ctx = { transport: 'test' } as const;
let host: EngineHost;
let dir: string;
let workspace: WorkspaceService;
let models: ModelsService;
let datasets: DatasetsService;
let templates: TemplatesService;
let demo: DemoService;
let renderer: RenderHost;

beforeAll(async () => {
  host = new EngineHost(await engineWorkerScript(), spawnChildProcess, { threads: 1 });
  renderer = new RenderHost(await renderWorkerScript());
  await host.start();
});
afterAll(() => Promise.all([host.dispose(), renderer.dispose()]));

beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dovetail-demo-')));
  workspace = new WorkspaceService({
    appDataDir: path.join(dir, 'app-data'),
    clock: () => new Date(),
    appVersion: 'test',
    events: { emit: () => undefined },
  });
  models = new ModelsService({
    workspace,
    engine: host,
    events: { emit: () => undefined },
    clock: () => new Date(),
    paths: { homeDir: dir, relativeTo: dir },
  });
  datasets = new DatasetsService({ workspace, events: { emit: () => undefined }, clock: () => new Date() });
  templates = new TemplatesService({
    workspace,
    datasets,
    events: { emit: () => undefined },
    clock: () => new Date(),
    renderer,
  });
  demo = new DemoService({ workspace, models, datasets, templates, defaultParent: path.join(dir, 'Documents') });
});
afterEach(async () => {
  await workspace.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('DemoService', () => {
  it('creates the demo workspace with the bundled model and datasets, then reopens it without importing again', async () => {
    const first = await demo.openDemoWorkspace({}, ctx);
    expect(first.reopened).toBe(false);
    expect(first.workspace.name).toBe(DEMO_WORKSPACE_NAME);
    expect(first.workspace.path).toBe(path.join(dir, 'Documents', DEMO_WORKSPACE_NAME));
    const registered = await models.list();
    expect(registered.map((m) => m.architecture)).toEqual(['LlamaForCausalLM']);
    expect(first.modelIds).toEqual([registered[0]?.id]);
    const triage = datasets.latestVersionByName('Support triage');
    expect(triage).toMatchObject({ version: 1, rowCount: 2700, splits: { train: 2000, validation: 300, test: 400 } });
    expect(triage?.roles).toEqual({ input: ['message'], reference: 'ticket', key: 'id', label: 'category' });
    const supersense = datasets.latestVersionByName('WordNet supersense');
    expect(supersense).toMatchObject({
      version: 1,
      rowCount: 4000,
      splits: { train: 3000, validation: 400, test: 600 },
    });
    expect(supersense?.roles).toEqual({
      input: ['word', 'pos', 'definition'],
      reference: 'output',
      key: 'id',
      label: null,
    });
    expect(datasets.readRows(triage?.id ?? '', 'test', { limit: 1 })[0]).toMatchObject({
      key: 'triage-test-0000',
      file: 'test.jsonl',
      line: 1,
    });
    expect((await templates.list()).map((t) => [t.name, t.latest.fields])).toEqual([
      ['Supersense', ['definition', 'pos', 'word']],
      ['Triage as JSON', ['message']],
    ]);

    await workspace.close();
    const second = await demo.openDemoWorkspace({}, ctx);
    expect(second.reopened).toBe(true);
    expect(second.workspace.id).toBe(first.workspace.id);
    expect(second.modelIds).toEqual(first.modelIds);
    expect(await models.list()).toHaveLength(1);
    expect((await datasets.list()).map((d) => [d.name, d.versions.length])).toEqual([
      ['Support triage', 1],
      ['WordNet supersense', 1],
    ]);
    expect((await templates.list()).map((t) => t.versions)).toEqual([1, 1]);
  });

  it('refuses a non-empty folder that is not a workspace, changing nothing', async () => {
    const target = path.join(dir, 'busy');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'notes.txt'), 'mine');
    await expect(demo.openDemoWorkspace({ path: target }, ctx)).rejects.toMatchObject({ name: 'UserError' });
    expect(fs.readdirSync(target)).toEqual(['notes.txt']);
  });
});
