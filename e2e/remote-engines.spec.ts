// Handing work to other machines from the UI: a planned training job is exported from the wizard's last step without
// training (its folder verified against its manifest); a release's page shows the `vllm serve` line the API gives,
// with the soft-prompt note, and copies it; an experiment set up in the New experiment dialog runs on a local server
// speaking vLLM's protocol (src/main/testing/vllm-stand-in.ts, started by this test as hub.spec.ts starts its hub):
// an unreachable address and an unserved model are named, the soft-prompt cell is swapped for its LoRA-only
// variant, and the results name the server.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startVllmStandIn, type StandIn } from '../src/main/testing/vllm-stand-in';
import { expect, test } from './fixtures';
import { apiOk as ok, datasetVersionId, openDemo } from './fixtures/api';
import { AdaptersPage } from './pages/adapters-page';
import { ExperimentsPage } from './pages/experiments-page';

const RUN_TIMEOUT = 180_000; // training, the engine's start and generation on a shared two-core machine

test('the wizard exports a planned job without training it', async ({ app, page, server, request }, testInfo) => {
  test.setTimeout(240_000);
  const adapters = new AdaptersPage(page);
  await adapters.openWizardOnDemo(app, 16);
  await adapters.next.click();
  await expect(page.getByTestId('wizard-preview')).toContainText('Triage this support message');
  await adapters.next.click();
  await adapters.quickRun();

  await page.getByTestId('wizard-export-job').click();
  const dialog = page.getByTestId('export-job-dialog');
  await expect(dialog).toContainText('Export the planned training job Support triage LoRA+soft 1');
  // The base may be the job's model or a larger one of its family: the demo workspace has only the job's.
  await dialog.getByTestId('export-job-base').click();
  await expect(page.getByTestId('export-job-base-option')).toHaveText([/\(the job's\)$/]);
  await page.keyboard.press('Escape');
  const to = testInfo.outputPath('planned-job');
  await dialog.getByTestId('export-job-to').fill(to);
  await dialog.getByTestId('export-job-submit').click();
  const done = dialog.getByTestId('export-job-done');
  await expect(done).toHaveAttribute('data-path', to, { timeout: RUN_TIMEOUT });
  await expect(done).toContainText(/16 rows, 4 steps, step-0 loss \d+\.\d{6}/);

  // Every file the manifest lists is there with its digest; the job is marked planned and nothing trained here.
  const manifest = JSON.parse(readFileSync(join(to, 'manifest.json'), 'utf8')) as {
    format: string;
    files: Record<string, string>;
  };
  expect(manifest.format).toBe('dovetail-job-export');
  expect(Object.keys(manifest.files)).toEqual(
    expect.arrayContaining(['train_peft.py', 'data/train.jsonl', 'data/plan.json', 'job.json', 'README.md']),
  );
  for (const [file, digest] of Object.entries(manifest.files))
    expect(
      createHash('sha256')
        .update(readFileSync(join(to, file)))
        .digest('hex'),
      file,
    ).toBe(digest);
  const job = JSON.parse(readFileSync(join(to, 'job.json'), 'utf8')) as { state: string; job_id: string | null };
  expect(job).toMatchObject({ state: 'planned', job_id: null });
  expect(await ok<unknown[]>(request, server, 'adapters/jobs')).toEqual([]);
  await dialog.getByTestId('export-job-close').click();
  await expect(page.getByTestId('wizard-start')).toBeVisible(); // back at the last step, still able to train
});

let standIn: StandIn | undefined;
test.afterAll(async () => standIn?.close());

test('a release shows its vLLM command, and an experiment set up in the UI runs on a vLLM server', async ({
  app,
  page,
  server,
  request,
  context,
}) => {
  test.setTimeout(420_000);
  await openDemo(app, page, request, server);
  const triage = await datasetVersionId(request, server, 'Support triage');
  const [model] = await ok<{ id: string }[]>(request, server, 'models/list');
  const modelId = model?.id ?? '';

  // A LoRA and a soft prompt trained together for two steps: enough to be served, and to be refused by vLLM in part.
  const started = await ok<{ id: string }>(request, server, 'adapters/startTraining', {
    modelId,
    name: 'Remote joint adapter',
    data: { kind: 'dataset', datasetVersionId: triage },
    template: { inputField: 'message', outputField: 'ticket', prompt: 'Message: {{ message }}\n', maxRows: 8 },
    method: 'both',
    hyper: { maxSteps: 2, batchSize: 4, evalEvery: null, checkpointEvery: null },
  });
  await expect
    .poll(async () => (await ok<{ state: string }>(request, server, 'adapters/job', { id: started.id })).state, {
      timeout: RUN_TIMEOUT,
    })
    .toBe('completed');
  const { adapterId } = await ok<{ adapterId: string }>(request, server, 'adapters/job', { id: started.id });
  const template = await ok<{ id: string }>(request, server, 'templates/save', {
    name: 'Remote triage',
    source: 'Message: {{ message }}\n',
  });
  const parts = { modelId, templateVersionId: template.id, decoding: { max_new_tokens: 8 } };
  await ok(request, server, 'specializations/create', { ...parts, name: 'Remote base' });
  const joint = await ok<{ id: string }>(request, server, 'specializations/create', {
    ...parts,
    name: 'Remote joint',
    loraAdapterId: adapterId,
    softPromptAdapterId: adapterId,
  });
  const release = await ok<{ id: string }>(request, server, 'releases/create', {
    specializationId: joint.id,
    name: 'triage joint',
    version: '1.0.0',
  });

  // The release's page: the command equals the API's, the soft prompt is left out (said so), and Copy copies it.
  const expected = await ok<{ command: string; notes: string[] }>(request, server, 'releases/vllmCommand', {
    id: release.id,
  });
  expect(expected.command).toMatch(/--lora-modules '?triage-joint-1\.0\.0=/);
  await app.nav('releases').click();
  await page.locator('[data-testid="release-row"][data-release="triage joint 1.0.0"]').click();
  await expect(page.getByTestId('vllm-command')).toHaveText(expected.command);
  await expect(page.getByTestId('vllm-lora-only')).toHaveText(expected.notes[0] ?? '');
  await expect(page.getByTestId('vllm-lora-only')).toContainText('vLLM cannot serve a soft prompt');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  await page.getByTestId('vllm-copy').click();
  await expect(page.getByTestId('vllm-copy')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected.command);

  // The server that command would start, as a stand-in; and an address where nothing listens.
  standIn = await startVllmStandIn({
    base: '/models/demo',
    loras: ['triage-joint-1.0.0'],
    answers: { '/models/demo': 'not json at all ', 'triage-joint-1.0.0': '{"category": "billing"} ' },
  });
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const nobody = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/v1`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));

  await app.nav('experiments').click();
  const x = new ExperimentsPage(page);
  await x.newExperiment.click();
  await x.choose('experiment-dataset', /Support triage/);
  await x.field('experiment-limit').fill('4');
  for (const name of ['Remote base', 'Remote joint']) {
    await x.field('design-specializations').locator('input').fill(name);
    await page.getByRole('option', { name, exact: true }).click();
  }
  await x.field('run-on-server').click();
  const row = (name: string) => x.dialog.locator(`[data-testid="remote-cell"][data-cell="${name}"]`);
  const cell = (name: string) => row(name).getByTestId('remote-model');
  const problem = (name: string) => row(name).getByTestId('remote-problem');

  await x.field('remote-url').fill(nobody);
  await x.field('remote-check').click();
  await expect(x.field('remote-check-error')).toContainText(`The server at ${nobody} could not list the models`);
  await expect(x.field('remote-check-error')).toContainText('Check that the server runs and is reachable');

  await x.field('remote-url').fill(standIn.baseUrl);
  await x.field('remote-check').click();
  await expect(x.field('remote-identity')).toHaveText(`vLLM at ${standIn.baseUrl} (vLLM 0.11.0-stand-in) serves:`);
  await expect(x.dialog.getByTestId('remote-served')).toHaveText([
    '/models/demo',
    'triage-joint-1.0.0 (LoRA of /models/demo)',
  ]);
  // The base cell is the served base model; the joint one cannot run on vLLM: its LoRA-only variant is offered.
  await expect(cell('Remote base')).toHaveValue('/models/demo');
  await expect(problem('Remote joint')).toContainText('has a soft prompt, which vLLM cannot serve');
  await x.field('remote-lora-only').click();
  await expect(cell('Remote joint (LoRA only)')).toHaveValue('triage-joint-1.0.0');
  await expect(x.dialog.getByTestId('remote-lora-only')).toHaveCount(0);

  // A name the server does not serve is named, with what it does serve.
  await cell('Remote base').fill('missing-model');
  await expect(problem('Remote base')).toContainText(
    'The server does not serve "missing-model". It serves: /models/demo, triage-joint-1.0.0.',
  );
  await cell('Remote base').fill('/models/demo');
  await expect(problem('Remote base')).not.toContainText('does not serve');

  await x.field('experiment-create-run').click();
  await expect(x.dialog).toBeHidden();
  await expect(x.state).toHaveText('completed', { timeout: RUN_TIMEOUT });
  const line = `vLLM at ${standIn.baseUrl} (vLLM 0.11.0-stand-in)`;
  await expect(x.view.getByTestId('experiment-remote')).toContainText(
    `Generated on ${line} · Remote base → /models/demo, Remote joint (LoRA only) → triage-joint-1.0.0 · it served /models/demo, triage-joint-1.0.0 when checked`,
  );
  await expect(x.view.getByTestId('results-server')).toHaveText(`generated on ${line}`);
  await expect(x.view.getByTestId('results-n')).toContainText('n = 4 paired examples');
  // Every row of both cells reached the server, each under its model name, with Dovetail's rendered prompt.
  expect(standIn.requests.map((r) => r.model).sort()).toEqual([
    ...Array<string>(4).fill('/models/demo'),
    ...Array<string>(4).fill('triage-joint-1.0.0'),
  ]);
  expect(String(standIn.requests[0]?.prompt)).toContain('Message: ');
});
