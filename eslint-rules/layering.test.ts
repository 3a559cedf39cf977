import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { layering } from './layering.js';

const cwd = '/repo';
function lint(filename: string, code: string): string[] {
  const linter = new Linter({ cwd });
  const config = [
    {
      files: ['**/*.ts'],
      plugins: { dovetail: { rules: { layering } } },
      rules: { 'dovetail/layering': 'error' as const },
      languageOptions: { sourceType: 'module' as const },
    },
  ];
  return linter.verify(code, config, { filename: `${cwd}/${filename}` }).map((m) => m.message);
}

describe('layering rule', () => {
  it('keeps Node and main code out of the renderer', () => {
    expect(lint('src/renderer/src/a.ts', "import { readFile } from 'node:fs';")[0]).toMatch(/runs without Node/);
    expect(lint('src/renderer/src/a.ts', "import { x } from '../../main/api/dispatcher';")[0]).toMatch(
      /renderer code may import only/,
    );
    expect(lint('src/renderer/src/a.ts', "import { contract } from '../../shared/contract';")).toEqual([]);
  });

  it('keeps the engine free of electron, sqlite and services, with one ORT importer', () => {
    expect(lint('src/main/engine/graph/a.ts', "import Database from 'better-sqlite3';")[0]).toMatch(/platform\/db/);
    expect(lint('src/main/engine/graph/a.ts', "import { app } from 'electron';")[0]).toMatch(/may import 'electron'/);
    expect(lint('src/main/engine/graph/a.ts', "import { S } from '../../services/workspace/x';")[0]).toMatch(
      /engine code may import only/,
    );
    expect(lint('src/main/engine/graph/a.ts', "import * as ort from 'onnxruntime-node';")[0]).toMatch(
      /engine\/runtime/,
    );
    expect(lint('src/main/engine/runtime/a.ts', "import * as ort from 'onnxruntime-node';")).toEqual([]);
  });

  it('keeps bench/ and tools/ out of src/, tests included', () => {
    expect(
      lint('src/main/engine/models/a.ts', "import { gqa } from '../../../../bench/lib/attention-variants';")[0],
    ).toMatch(/src\/ never imports bench\/ or tools\//);
    expect(
      lint('src/main/engine/models/a.test.ts', "import { w } from '../../../../tools/bench/write-checkpoint';")[0],
    ).toMatch(/never imports/);
    expect(lint('src/main/services/x/a.test.ts', "import { x } from '../../../../bench/lib/stats';")[0]).toMatch(
      /never imports/,
    );
  });

  it('lets only the Electron layer import electron and keeps shared environment-free', () => {
    expect(lint('src/main/services/a.ts', "import { app } from 'electron';")).toHaveLength(1);
    expect(lint('src/main/ipc/a.ts', "import { app } from 'electron';")).toEqual([]);
    expect(lint('src/shared/a.ts', "import { join } from 'path';")[0]).toMatch(/runs without Node/);
    expect(lint('src/shared/a.ts', "export * from '../main/x';")[0]).toMatch(/shared code may import only/);
  });

  it('orders the layers inside main: platform < eval < services < api < host, entries on top', () => {
    expect(lint('src/main/platform/a.ts', "import { S } from '../services/workspace/x';")[0]).toMatch(
      /platform code may import only/,
    );
    expect(lint('src/main/platform/a.ts', "import { m } from '../eval/metrics/x';")[0]).toMatch(
      /platform code may import only/,
    );
    expect(lint('src/main/eval/a.ts', "import { S } from '../services/x';")[0]).toMatch(/eval code may import only/);
    expect(lint('src/main/eval/a.ts', "import { t } from '../platform/throttle';")).toEqual([]);
    expect(lint('src/main/services/x/a.ts', "import { EngineHost } from '../../host/engine-host';")[0]).toMatch(
      /services code may import only/,
    );
    expect(lint('src/main/services/x/a.ts', "import { Dispatcher } from '../../api/dispatcher';")[0]).toMatch(
      /services code may import only/,
    );
    expect(lint('src/main/services/x/a.ts', "import { composeApp } from '../../compose';")[0]).toMatch(
      /services code may import only/,
    );
    expect(lint('src/main/services/x/a.ts', "import { EngineClient } from '../../engine/client';")).toEqual([]);
    expect(lint('src/main/services/x/a.ts', "import { m } from '../../eval/metrics/x';")).toEqual([]);
    expect(lint('src/main/api/a.ts', "import { W } from '../host/web-server';")[0]).toMatch(/api code may import only/);
    expect(lint('src/main/host/a.ts', "import { Dispatcher } from '../api/dispatcher';")).toEqual([]);
    expect(lint('src/main/host/a.ts', "import { composeApp } from '../compose';")[0]).toMatch(
      /host code may import only/,
    );
    expect(lint('src/main/compose.ts', "import { EngineHost } from './host/engine-host';")).toEqual([]);
  });

  it('lets tests wire any layer of main, and keeps test code out of product code', () => {
    expect(lint('src/main/services/x/a.test.ts', "import { composeApp } from '../../compose';")).toEqual([]);
    expect(lint('src/main/services/x/testing/h.ts', "import { Dispatcher } from '../../../api/dispatcher';")).toEqual(
      [],
    );
    expect(lint('src/main/engine/graph/a.test.ts', "import { S } from '../../services/x';")[0]).toMatch(
      /engine code may import only/,
    );
    expect(lint('src/main/compose.ts', "import { demo } from './testing/demo-app';")[0]).toMatch(
      /may not import test code/,
    );
    expect(lint('src/main/engine/graph/a.ts', "import { check } from './testing/check';")[0]).toMatch(
      /may not import test code/,
    );
    expect(lint('src/main/compose.ts', "import { x } from './api/dispatcher.test';")[0]).toMatch(
      /may not import test code/,
    );
    expect(lint('src/renderer/src/a.ts', "import { x } from './features/testing/page';")[0]).toMatch(
      /may not import test code/,
    );
    expect(lint('src/main/engine/graph/testing/h.ts', "import { check } from '../../autodiff/testing/check';")).toEqual(
      [],
    );
  });

  it('lets only engine/templates use the Jinja interpreter; everyone may parse', () => {
    for (const code of [
      "import { Template } from '@huggingface/jinja';",
      "import { Interpreter, parse } from '@huggingface/jinja';",
      "import * as jinja from '@huggingface/jinja';",
      "export { Environment } from '@huggingface/jinja';",
      "const j = import('@huggingface/jinja');",
    ]) {
      expect(lint('src/main/services/templates/a.ts', code)[0]).toMatch(
        /only src\/main\/engine\/templates\/ may use the Jinja interpreter/,
      );
      expect(lint('src/renderer/src/a.ts', code)[0]).toMatch(/Jinja interpreter/);
    }
    expect(lint('src/main/engine/models/a.ts', "import { Template } from '@huggingface/jinja';")[0]).toMatch(
      /Jinja interpreter/,
    );
    expect(
      lint(
        'src/main/engine/templates/guarded-render.ts',
        "import { Environment, Interpreter } from '@huggingface/jinja';",
      ),
    ).toEqual([]);
    expect(lint('src/shared/a.ts', "import { parse, tokenize } from '@huggingface/jinja';")).toEqual([]);
    expect(lint('src/renderer/src/a.test.ts', "import { Template } from '@huggingface/jinja';")).toEqual([]);
  });

  it('lets only the workers load the guarded renderer; services parse and go through the render host', () => {
    const message = /only src\/main\/engine\/, src\/main\/host\/render-worker.ts may import the guarded renderer/;
    expect(
      lint(
        'src/main/services/templates/a.ts',
        "import { renderGuarded } from '../../engine/templates/guarded-render';",
      )[0],
    ).toMatch(message);
    expect(
      lint('src/main/host/render-host.ts', "import { renderGuarded } from '../engine/templates/guarded-render';")[0],
    ).toMatch(message);
    expect(
      lint('src/main/host/render-worker.ts', "import { renderGuarded } from '../engine/templates/guarded-render';"),
    ).toEqual([]);
    expect(
      lint('src/main/engine/models/chat-template.ts', "import { renderGuarded } from '../templates/guarded-render';"),
    ).toEqual([]);
    expect(
      lint('src/main/services/templates/a.ts', "import { parseGuarded } from '../../engine/templates/parse';"),
    ).toEqual([]);
  });
});
