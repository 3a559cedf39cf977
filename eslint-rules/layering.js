// The layering rule (ARCHITECTURE.md, "Dependencies point down"): which folders and packages each folder of src/
// may import. One table; `npm test` fails on any violation.
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Folders (repo-relative prefixes) each layer may import from, most specific layer first. */
const LAYERS = [
  { name: 'shared', prefix: 'src/shared/', folders: ['src/shared/'], node: false },
  { name: 'renderer', prefix: 'src/renderer/', folders: ['src/renderer/', 'src/shared/'], node: false },
  { name: 'preload', prefix: 'src/preload/', folders: ['src/preload/', 'src/shared/'], node: true },
  { name: 'engine', prefix: 'src/main/engine/', folders: ['src/main/engine/', 'src/shared/'], node: true },
  { name: 'main', prefix: 'src/main/', folders: ['src/main/', 'src/shared/'], node: true },
];

/** Packages only certain folders may import. */
const PACKAGE_OWNERS = {
  electron: ['src/main/index.ts', 'src/main/ipc/', 'src/preload/'],
  'better-sqlite3': ['src/main/platform/db/'],
  'onnxruntime-node': ['src/main/engine/runtime/'],
};

export const layering = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the layering of src/ (renderer -> shared; engine without electron/sqlite; one ORT importer)' },
    schema: [],
  },
  create(context) {
    const file = relative(context.cwd, context.filename).split('\\').join('/');
    const layer = LAYERS.find((l) => file.startsWith(l.prefix));
    if (!layer) return {};
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      const problem = violation(file, layer, source, context.cwd);
      if (problem) context.report({ node, message: problem });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

function violation(file, layer, source, cwd) {
  const bare = source.split('?')[0];
  if (bare.startsWith('.')) {
    const target = relative(cwd, resolve(dirname(resolve(cwd, file)), bare)).split('\\').join('/');
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
