// The layering rule (docs/architecture.md, "Layering"; docs/design.md, "Dependencies point down"): which folders and
// packages each folder of src/ may import. One table; `npm test` fails on any violation. The Jinja interpreter has one
// owner too: everything else may only parse templates, so no render path can skip the guarded renderer's limits.
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Folders (repo-relative prefixes) each layer may import from, most specific layer first. */
const LAYERS = [
  { name: 'shared', prefix: 'src/shared/', folders: ['src/shared/'], node: false },
  { name: 'renderer', prefix: 'src/renderer/', folders: ['src/renderer/', 'src/shared/'], node: false },
  { name: 'preload', prefix: 'src/preload/', folders: ['src/preload/', 'src/shared/'], node: true },
  { name: 'engine', prefix: 'src/main/engine/', folders: ['src/main/engine/', 'src/shared/'], node: true },
  // Inside main, platform < eval < services < api < host: a layer imports only its own and lower ones (and the engine);
  // the entries (index.ts, web.ts, cli.ts, compose.ts, ipc/, headless/) sit on top.
  {
    name: 'platform',
    inner: true,
    prefix: 'src/main/platform/',
    folders: ['src/main/platform/', 'src/shared/'],
    node: true,
  },
  {
    name: 'eval',
    inner: true,
    prefix: 'src/main/eval/',
    folders: ['src/main/eval/', 'src/main/platform/', 'src/shared/'],
    node: true,
  },
  {
    name: 'services',
    inner: true,
    prefix: 'src/main/services/',
    folders: ['src/main/services/', 'src/main/eval/', 'src/main/platform/', 'src/main/engine/', 'src/shared/'],
    node: true,
  },
  {
    name: 'api',
    inner: true,
    prefix: 'src/main/api/',
    folders: [
      'src/main/api/',
      'src/main/services/',
      'src/main/eval/',
      'src/main/platform/',
      'src/main/engine/',
      'src/shared/',
    ],
    node: true,
  },
  {
    name: 'host',
    inner: true,
    prefix: 'src/main/host/',
    folders: [
      'src/main/host/',
      'src/main/api/',
      'src/main/services/',
      'src/main/eval/',
      'src/main/platform/',
      'src/main/engine/',
      'src/shared/',
    ],
    node: true,
  },
  { name: 'main', prefix: 'src/main/', folders: ['src/main/', 'src/shared/'], node: true },
];

const MAIN = LAYERS.find((l) => l.name === 'main');

/** Folders of the repository that are not the product: src/ (tests included) may not import from them. */
const OUTSIDE_PRODUCT = ['bench/', 'tools/'];

/** Packages only certain folders may import. */
const PACKAGE_OWNERS = {
  electron: ['src/main/index.ts', 'src/main/ipc/', 'src/preload/'],
  'better-sqlite3': ['src/main/platform/db/'],
  'onnxruntime-node': ['src/main/engine/runtime/'],
};

/** @huggingface/jinja: anyone may parse (parse, tokenize, types); only the guarded renderer may evaluate. */
const JINJA = '@huggingface/jinja';
const JINJA_PARSE_ONLY = new Set(['parse', 'tokenize']);
const JINJA_OWNER = 'src/main/engine/templates/';
const JINJA_MESSAGE = `Layering: only ${JINJA_OWNER} may use the Jinja interpreter (Template, Interpreter, Environment); render through the guarded renderer (services/templates/render.ts, engine/templates/guarded-render.ts). Elsewhere import only parse and tokenize.`;

/** The guarded renderer evaluates templates: only the workers may load it (the engine worker's code and the render
 * worker's entry); services parse through engine/templates/parse.ts and render through the render host. */
const RENDERER_MODULE = 'src/main/engine/templates/guarded-render';
const RENDERER_USERS = ['src/main/engine/', 'src/main/host/render-worker.ts'];
const RENDERER_MESSAGE = `Layering: only ${RENDERER_USERS.join(', ')} may import the guarded renderer (it evaluates templates, which the main thread never does); parse with engine/templates/parse.ts and render through services/templates/render.ts.`;

/** Whether an import of @huggingface/jinja brings in more than the parser (type-only imports bring nothing). */
function importsInterpreter(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return false;
  if (node.type === 'ExportAllDeclaration' || node.type === 'ImportExpression') return true;
  const specifiers = node.specifiers ?? [];
  return specifiers.some((sp) => {
    if (sp.importKind === 'type' || sp.exportKind === 'type') return false;
    if (sp.type !== 'ImportSpecifier' && sp.type !== 'ExportSpecifier') return true; // default or namespace import
    const name = sp.type === 'ImportSpecifier' ? sp.imported : sp.local;
    return !JINJA_PARSE_ONLY.has(name.type === 'Identifier' ? name.name : name.value);
  });
}

export const layering = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'Enforce the layering of src/ (renderer -> shared; engine without electron/sqlite; one ORT importer)',
    },
    schema: [],
  },
  create(context) {
    const file = relative(context.cwd, context.filename).split('\\').join('/');
    const own = LAYERS.find((l) => file.startsWith(l.prefix));
    if (!own) return {};
    const testCode = isTestCode(file);
    // Tests and their helpers wire whole slices of the app (a service over a real engine host and dispatcher), so
    // inside main they may reach any layer; product code keeps to its own and lower layers.
    const layer = own.inner && testCode ? MAIN : own;
    // Tests may render with the library directly (e.g. to show what an editor helper produces); no app path can.
    const mayInterpret = file.startsWith(JINJA_OWNER) || /\.test\.tsx?$/.test(file);
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      const problem = violation(file, layer, source, context.cwd);
      const helper = testCode ? undefined : testHelper(file, source, context.cwd);
      if (problem) context.report({ node, message: problem });
      else if (helper) context.report({ node, message: helper });
      else if (source === JINJA && !mayInterpret && importsInterpreter(node))
        context.report({ node, message: JINJA_MESSAGE });
      else if (
        !mayInterpret &&
        !RENDERER_USERS.some((u) => file.startsWith(u)) &&
        resolvesTo(file, source, context.cwd) === RENDERER_MODULE
      ) {
        context.report({ node, message: RENDERER_MESSAGE });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

/** Test files and test helpers (a `testing/` folder, `*.test.ts`, e2e/): product code never imports them. */
function isTestCode(path) {
  return /\.test\.tsx?$/.test(path) || /\.test$/.test(path) || path.includes('/testing/') || path.startsWith('e2e/');
}

function testHelper(file, source, cwd) {
  const target = resolvesTo(file, source, cwd);
  if (target === null || !isTestCode(target)) return undefined;
  return `Layering: product code may not import test code ('${source}' is ${target}); move what both need into product code.`;
}

/** The repo-relative module path (extension left off) a relative import names, or null for a package. */
function resolvesTo(file, source, cwd) {
  if (!source.startsWith('.')) return null;
  return relative(cwd, resolve(dirname(resolve(cwd, file)), source.split('?')[0]))
    .split('\\')
    .join('/')
    .replace(/\.[jt]sx?$/, '');
}

function violation(file, layer, source, cwd) {
  const bare = source.split('?')[0];
  if (bare.startsWith('.')) {
    const target = relative(cwd, resolve(dirname(resolve(cwd, file)), bare))
      .split('\\')
      .join('/');
    if (OUTSIDE_PRODUCT.some((folder) => target.startsWith(folder))) {
      return `Layering: src/ never imports ${OUTSIDE_PRODUCT.join(' or ')} ('${source}' is ${target}); benchmarks and scripts plug into the app through its interfaces (e.g. RunnerOptions.attention), not the other way round.`;
    }
    if (!layer.folders.some((folder) => `${target}/`.startsWith(folder) || target.startsWith(folder))) {
      return `Layering: ${layer.name} code may import only from ${layer.folders.join(', ')}; '${source}' is ${target}.`;
    }
    return undefined;
  }
  if (builtins.has(bare) && !layer.node) {
    return `Layering: ${layer.name} code runs without Node; '${source}' is a Node module. Go through the typed API.`;
  }
  const pkg = bare.startsWith('@') ? bare.split('/').slice(0, 2).join('/') : bare.split('/')[0];
  const owners = PACKAGE_OWNERS[pkg];
  if (owners && !owners.some((owner) => file === owner || file.startsWith(owner))) {
    return `Layering: only ${owners.join(', ')} may import '${pkg}'.`;
  }
  return undefined;
}
