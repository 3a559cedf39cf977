// Hostile model folders through the Models screen in browser mode (real server, real engine worker): a config.json
// linked to /dev/zero, a tokenizer.json that is a FIFO, a NaN weight and a Qwen2 checkpoint under a Llama config.
// Each shows the error naming the file, nothing is registered, and the app still answers an API call within 1 s.
import { execFileSync } from 'node:child_process';
import { cpSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from './fixtures';
import { ModelsPage } from './pages/models-page';

const FIXTURES = resolve('src/main/engine/models/__fixtures__');
const INSPECT_TIMEOUT = 30_000; // the engine worker may still be starting

/** Writes NaN over element 0 of a float32 tensor, found through the safetensors header. */
function poisonTensor(file: string, tensor: string): void {
  const bytes = readFileSync(file);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<
    string,
    { data_offsets: [number, number] }
  >;
  const offset = 8 + headerLength + (header[tensor]?.data_offsets[0] ?? NaN);
  const fd = openSync(file, 'r+');
  const nan = Buffer.alloc(4);
  nan.writeFloatLE(NaN, 0);
  writeSync(fd, nan, 0, 4, offset);
  closeSync(fd);
}

function editJson(file: string, edit: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(json);
  writeFileSync(file, JSON.stringify(json));
}

const CASES: {
  name: string;
  fixture: string;
  damage: (folder: string) => void;
  message: string | RegExp;
  file?: string;
}[] = [
  {
    name: 'zero-config',
    fixture: 'tiny-llama-f32',
    file: 'config.json',
    message: 'config.json is a device, not a regular file.',
    damage: (f) => {
      rmSync(join(f, 'config.json'));
      symlinkSync('/dev/zero', join(f, 'config.json'));
    },
  },
  {
    name: 'fifo-tokenizer',
    fixture: 'tiny-llama-f32',
    file: 'tokenizer.json',
    message: 'tokenizer.json is a named pipe (FIFO), not a regular file.',
    damage: (f) => {
      rmSync(join(f, 'tokenizer.json'));
      execFileSync('mkfifo', [join(f, 'tokenizer.json')]);
    },
  },
  {
    name: 'nan-weight',
    fixture: 'tiny-llama-f32',
    file: 'model.safetensors',
    message: /^model\.safetensors: tensor "model\.norm\.weight" holds NaN/,
    damage: (f) => poisonTensor(join(f, 'model.safetensors'), 'model.norm.weight'),
  },
  {
    name: 'qwen-as-llama',
    fixture: 'tiny-qwen2-bf16',
    message: /^The weights hold 6 tensors that config\.json's architecture would ignore/,
    damage: (f) =>
      editJson(join(f, 'config.json'), (j) => {
        j['model_type'] = 'llama';
        j['architectures'] = ['LlamaForCausalLM'];
      }),
  },
];

test.beforeEach(async ({ app }) => {
  await app.createWorkspace('Hostile models');
  await app.nav('models').click();
});

test('hostile model folders are refused by name, nothing is registered, and the app keeps answering', async ({
  page,
  server,
  request,
}) => {
  const models = new ModelsPage(page);
  for (const c of CASES) {
    const folder = join(server.workspacesDir, c.name);
    cpSync(join(FIXTURES, c.fixture), folder, { recursive: true });
    c.damage(folder);
    await models.addFolder(folder);
    await expect(models.addErrorMessage).toHaveText(c.message, { timeout: INSPECT_TIMEOUT });
    if (c.file) await expect(models.addErrorWhere).toHaveText(join(folder, c.file));
    await expect(models.items).toHaveCount(0);
  }
  // The app keeps answering: the call returns (the fixture's own timeout bounds it; no clock is raced here).
  const response = await request.post(`${server.origin}/api/call/models/list`, {
    data: {},
    headers: { 'x-dovetail-token': server.token },
  });
  expect(await response.json()).toEqual({ ok: true, result: [] });
});
