// A model folder with a hostile chat template, through the real engine host and worker: the bundled demo model is
// copied to a temporary folder and its tokenizer_config.json chat_template replaced. Chat generation and training
// data preparation give a UserError naming the file in plain words; the worker neither crashes nor hangs, and answers
// the next request (raw completions still work) without a restart.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../shared/errors';
import { JARGON } from '../engine/templates/plain-errors';
import { spawnChildProcess } from './engine-channel';
import { EngineHost } from './engine-host';
import { engineWorkerScript } from './testing/engine-worker-script';

const DEMO = join(import.meta.dirname, '../../../resources/models/dovetail-wordnet-13m');
const HOSTILE = join(import.meta.dirname, '../engine/templates/fixtures/hostile');

let host: EngineHost;
let dir: string;

/** A copy of the demo model whose chat template is `template`. */
function modelWith(name: string, template: string): string {
  const folder = join(dir, name);
  cpSync(DEMO, folder, { recursive: true });
  const configPath = join(folder, 'tokenizer_config.json');
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  writeFileSync(configPath, JSON.stringify({ ...config, chat_template: template }));
  return folder;
}

async function chatError(folder: string): Promise<UserError> {
  const error = await host
    .request('generate', {
      model: { folder },
      prompts: [{ mode: 'chat', messages: [{ role: 'user', content: 'hello' }] }],
      settings: { do_sample: false, max_new_tokens: 2 },
    })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dovetail-chat-template-'));
  host = new EngineHost(await engineWorkerScript(), spawnChildProcess, { threads: 1 });
  await host.start();
});
afterAll(async () => {
  await host.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('a hostile chat template in a model folder', () => {
  it('stops an endless loop with a UserError naming the file; the worker answers the next request without a restart', async () => {
    const folder = modelWith('endless', readFileSync(join(HOSTILE, 'nested-range-loop.jinja'), 'utf8'));
    const error = await chatError(folder);
    const file = `${join(folder, 'tokenizer_config.json')}: chat_template`;
    expect(error.where).toBe(file);
    expect(error.message).toMatch(
      new RegExp(
        `^The model's chat template \\(.*tokenizer_config\\.json: chat_template\\) failed on this conversation: The template was stopped after (1,000,000 steps of work|running for 5 seconds)`,
      ),
    );
    expect(error.message).not.toMatch(JARGON);
    const raw = await host.request('generate', {
      model: { folder },
      prompts: [{ mode: 'raw', text: 'dog' }],
      settings: { do_sample: false, max_new_tokens: 2 },
    });
    expect(raw.rows[0]!.generatedTokens).toBe(2);
    expect(host.status).toMatchObject({ state: 'ready', restarts: 0 });
  }, 120_000);

  it('stops recursion through macros and huge ranges, also when training data is prepared', async () => {
    const recursive = modelWith('recursive', readFileSync(join(HOSTILE, 'recursive-macro.jinja'), 'utf8'));
    expect((await chatError(recursive)).message).toMatch(/nests too deeply/);
    const range = modelWith('range', readFileSync(join(HOSTILE, 'huge-range.jinja'), 'utf8'));
    const error = await host
      .request('prepareTrainingData', {
        modelFolder: range,
        pairs: [{ prompt: 'p', target: 't' }],
        validation: [],
        chat: true,
        maxLength: 64,
        numVirtualTokens: 0,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/range\(\) of 1,000,000,000 numbers/);
    expect(host.status).toMatchObject({ state: 'ready', restarts: 0 });
  }, 120_000);

  it('says where a chat template does not parse, in plain words', async () => {
    const folder = modelWith('broken', '{% for m in messages %}\n{{ m.content }');
    const error = await chatError(folder);
    expect(error.message).toMatch(/cannot be parsed: .*\(line 2, column 1\)/);
    expect(error.message).not.toMatch(JARGON);
  }, 120_000);
});
