// Headless entry (`npm run cli -- ...`) over the same services and dispatcher as the app. Later issues add the
// main job (demo, eval, train); today: any contract method by name, and the engine self-test.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contract } from '../shared/contract';
import { UserError, fromErrorShape } from '../shared/errors';
import { composeApp, type ComposedApp } from './compose';
import { runAudit } from './headless/audit';
import { runAddHub } from './headless/hub';
import { demoFormats, runDemo } from './headless/demo';
import { runEval } from './headless/eval';
import { runReport } from './headless/report';
import { runDriftAudit, runProbe } from './headless/robustness';
import { runServe } from './headless/serve';
import { localClient } from './headless/local-client';
import { parseArgs, stringFlag } from './platform/args';
import { defaultUserDataDir } from './platform/paths';
import { APP_VERSION } from './version';

const here = dirname(fileURLToPath(import.meta.url));

const USAGE = `Dovetail ${APP_VERSION} (headless)

Usage:
  npm run cli -- self-test                      run a small graph through the engine worker
  npm run cli -- call <service.method> [JSON]   call any API method, e.g.
                                                call workspace.create '{"path":"./ws","name":"Demo"}'
  npm run cli -- methods                        list the API methods
  npm run demo                                  the main job on the demo model: train, ablate, report
                                                (npm run cli -- demo [--quick] [--workspace DIR]
                                                [--formats q8,q4]: then the ablation at those weights)
  npm run cli -- eval <experiment.json>         run an experiment; exit 1 when a threshold fails
                                                [--report FILE.html]
  npm run cli -- audit verify <workspace>       check a workspace's audit chain; exit 1 at a broken link
  npm run cli -- report <kind> <name> --format pdf|html|csv|json --out FILE
                                                a report from stored results (kinds: experiment, review,
                                                training, release, release-comparison [--against NAME])
  npm run cli -- report verify <id|title|FILE.json>
                                                check a report's content hashes against the workspace;
                                                exit 1 naming what changed
  npm run cli -- serve --workspace DIR          serve its releases on an OpenAI-compatible endpoint until Ctrl+C
                                                [--host 127.0.0.1] [--port 8089] [--allow-network]
                                                [--new-key NAME] (prints a new API key, shown once)
                                                [--max-tokens 512] [--max-concurrent 4] [--max-queue 32]
                                                [--no-batching]
  npm run cli -- models add-hub <owner/name>   download a model from the Hugging Face Hub, verify it and add it
                                                to --workspace [--revision R] [--name N] (run again to resume)
  npm run cli -- export-job <job id or name> --out DIR [--base MODEL_ID] [--gpus N]
                                                a training job as a folder for transformers + PEFT +
                                                accelerate (rows as tokenized, plan, initial weights, script)
  npm run cli -- probe <probe.json>             robustness probe: perturbed inputs, consistency table
  npm run cli -- audit-drift <release>          re-run a release's audit set; exit 1 on drift
                                                (release: id, name@version or name; --strict: also on warnings)
Options:
  --user-data DIR   per-user folder (recent workspaces); default: the desktop app's
  --workspace DIR   open this workspace before the command (demo: the demo workspace folder)`;

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    'user-data': 'string',
    workspace: 'string',
    help: 'boolean',
    quick: 'boolean',
    formats: 'string',
    report: 'string',
    format: 'string',
    out: 'string',
    against: 'string',
    host: 'string',
    port: 'string',
    'allow-network': 'boolean',
    'new-key': 'string',
    'max-tokens': 'string',
    'max-concurrent': 'string',
    'max-queue': 'string',
    'no-batching': 'boolean',
    strict: 'boolean',
    revision: 'string',
    name: 'string',
    base: 'string',
    gpus: 'string',
  });
  const [command, ...rest] = args.positional;
  if (!command || args.flags.has('help')) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'methods') {
    for (const [service, spec] of Object.entries(contract))
      for (const method of Object.keys(spec.methods)) console.log(`${service}.${method}`);
    return 0;
  }
  const userData = stringFlag(args, 'user-data');
  const composed = composeApp({
    shell: 'browser',
    version: APP_VERSION,
    userDataDir: userData ? resolve(userData) : defaultUserDataDir(),
    engineWorkerScript: join(here, 'engine-worker.js'),
    relativeTo: process.cwd(),
    // A headless command does its own work only: no audit starts because its schedule is due.
    scheduledAudits: false,
  });
  try {
    const workspace = stringFlag(args, 'workspace');
    const log = (...lines: string[]): void => lines.forEach((line) => console.log(line));
    if (command === 'demo') {
      const outcome = await runDemo(localClient(composed.dispatcher), {
        ...(workspace ? { workspace: resolve(workspace) } : {}),
        quick: args.flags.has('quick'),
        formats: demoFormats(stringFlag(args, 'formats')),
        log,
      });
      return outcome.passed === false ? 1 : 0;
    }
    if (workspace) await call(composed, 'workspace.open', JSON.stringify({ path: workspace }));
    switch (command) {
      case 'eval': {
        const report = stringFlag(args, 'report');
        return await runEval(localClient(composed.dispatcher), resolve(rest[0] ?? ''), {
          ...(report ? { report: resolve(report) } : {}),
          log,
        });
      }
      case 'audit':
        return await runAudit(localClient(composed.dispatcher), rest[0], rest[1] ? resolve(rest[1]) : undefined, {
          log,
        });
      case 'serve': {
        const numberFlag = (flag: string, key: string): Record<string, number> => {
          const value = stringFlag(args, flag);
          return value === undefined ? {} : { [key]: Number(value) };
        };
        const port = stringFlag(args, 'port');
        const host = stringFlag(args, 'host');
        const newKey = stringFlag(args, 'new-key');
        return await runServe(localClient(composed.dispatcher), {
          ...(host ? { host } : {}),
          ...(port ? { port: Number(port) } : {}),
          allowNetwork: args.flags.has('allow-network'),
          ...(newKey ? { newKey } : {}),
          limits: {
            ...numberFlag('max-tokens', 'maxTokens'),
            ...numberFlag('max-concurrent', 'maxConcurrent'),
            ...numberFlag('max-queue', 'maxQueue'),
            ...(args.flags.has('no-batching') ? { batching: false } : {}),
          },
          log,
        });
      }
      case 'report': {
        const out = stringFlag(args, 'out');
        return await runReport(localClient(composed.dispatcher), {
          positional: rest,
          format: stringFlag(args, 'format'),
          out: out ? resolve(out) : undefined,
          against: stringFlag(args, 'against'),
          log,
        });
      }
      case 'models':
        if (rest[0] !== 'add-hub' || !rest[1])
          throw new UserError('Usage: models add-hub <owner/name> [--revision R] [--name N]', {
            hint: 'For example: npm run cli -- models add-hub HuggingFaceTB/SmolLM2-135M-Instruct --workspace ./ws',
          });
        return await runAddHub(localClient(composed.dispatcher), rest[1], {
          revision: stringFlag(args, 'revision'),
          name: stringFlag(args, 'name'),
          log,
        });
      case 'export-job': {
        const api = localClient(composed.dispatcher);
        const job = (await api.adapters.jobs({})).find((j) => j.id === rest[0] || j.name === rest[0]);
        const out = stringFlag(args, 'out');
        if (!job || !out)
          throw new UserError(job ? 'Give the folder to write with --out DIR' : `No training job "${rest[0] ?? ''}"`, {
            hint: 'npm run cli -- export-job <job id or name> --out DIR --workspace WS',
          });
        const base = stringFlag(args, 'base');
        const gpus = stringFlag(args, 'gpus');
        print(
          await api.adapters.exportJob({
            jobId: job.id,
            to: resolve(out),
            ...(base ? { baseModelId: base } : {}),
            ...(gpus ? { gpus: Number(gpus) } : {}),
          }),
        );
        return 0;
      }
      case 'probe':
        return await runProbe(localClient(composed.dispatcher), resolve(rest[0] ?? ''), { log });
      case 'audit-drift':
        return await runDriftAudit(localClient(composed.dispatcher), rest[0], {
          strict: args.flags.has('strict'),
          log,
        });
      case 'self-test':
        print(await call(composed, 'engine.selfTest', '{}'));
        return 0;
      case 'call':
        print(await call(composed, rest[0] ?? '', rest[1] ?? '{}'));
        return 0;
      default:
        throw new UserError(`Unknown command "${command}"`, { hint: 'Run with --help for the commands.' });
    }
  } finally {
    await composed.dispose();
  }
}

async function call(composed: ComposedApp, name: string, json: string): Promise<unknown> {
  const [service = '', method = ''] = name.split('.');
  let arg: unknown;
  try {
    arg = JSON.parse(json);
  } catch {
    throw new UserError(`The argument of ${name} is not valid JSON`, {
      where: 'argument',
      hint: `Quote it for the shell: '{"key":"value"}'`,
    });
  }
  const response = await composed.dispatcher.handle({ service, method, arg }, { transport: 'cli' });
  if (!response.ok) throw fromErrorShape(response.error);
  return response.result;
}

function print(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UserError) {
      console.error(
        `Error: ${error.message}${error.where ? ` [${error.where}]` : ''}${error.hint ? `\nHint: ${error.hint}` : ''}`,
      );
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
