// Checks a finished Graph before it is written: names unique, every input defined before use, every node's recorded
// output types equal to what its op infers again, initializer sizes right, outputs produced. Problems are bugs.
import { BugError } from '../../../shared/errors';
import { DTYPES } from './dtype';
import { isExternal, type Graph, type InferInput, type Value } from './ir';
import { InferError } from './op-def';
import { isOpName, opDef } from './ops';
import { formatShape, numel, sameShape, UNKNOWN_DIM, type Dim, type Shape } from './shape';
import type { Tensor } from './tensor';

export function findProblems(graph: Graph): string[] {
  const problems: string[] = [];
  const defined = new Set<Value>();
  const names = new Set<string>();
  const constants = new Map<Value, Tensor>();
  const known = new Map<Value, readonly Dim[]>();
  const define = (value: Value, what: string): void => {
    if (names.has(value.name)) problems.push(`${what}: the name "${value.name}" is defined twice`);
    names.add(value.name);
    defined.add(value);
  };

  for (const value of graph.inputs) define(value, `input ${value.name}`);
  for (const { value, data } of graph.initializers) {
    define(value, `initializer ${value.name}`);
    if (!sameShape(value.shape, data.dims) || value.dtype !== data.dtype) {
      problems.push(
        `initializer ${value.name}: value is ${value.dtype} ${formatShape(value.shape)} but data is ${data.dtype} ${formatShape(data.dims)}`,
      );
    }
    const expected = numel(data.dims) * DTYPES[data.dtype].bytes;
    if (isExternal(data)) {
      if (data.length !== expected)
        problems.push(`initializer ${value.name}: external length ${data.length} bytes, shape needs ${expected}`);
      if (data.location.startsWith('/') || data.location.split(/[\\/]/).includes('..')) {
        problems.push(`initializer ${value.name}: external location "${data.location}" must be relative, without ".."`);
      }
    } else {
      constants.set(value, data);
      if (data.data.length !== numel(data.dims))
        problems.push(`initializer ${value.name}: ${data.data.length} elements for ${formatShape(data.dims)}`);
    }
  }

  const nodeNames = new Set<string>();
  for (const node of graph.nodes) {
    const where = `node ${node.name} (${node.op})`;
    if (nodeNames.has(node.name)) problems.push(`${where}: node name used twice`);
    nodeNames.add(node.name);
    if (!isOpName(node.op)) {
      problems.push(`${where}: unknown op`);
      continue;
    }
    const def = opDef(node.op);
    if (!def.domain && def.since > graph.opset)
      problems.push(`${where}: needs opset ${def.since}, graph has ${graph.opset}`);
    const missing = node.inputs.filter((v): v is Value => v !== null && !defined.has(v));
    if (missing.length > 0) {
      problems.push(
        `${where}: uses ${missing.map((v) => v.name).join(', ')} before it is defined (or from another graph)`,
      );
      continue;
    }
    const described: (InferInput | null)[] = node.inputs.map((v) => {
      if (!v) return null;
      const value = known.get(v);
      return { dtype: v.dtype, shape: v.shape, constant: constants.get(v), ...(value ? { value } : {}) };
    });
    try {
      const types = def.infer(described, node.attrs);
      if (types.length !== node.outputs.length)
        problems.push(`${where}: ${node.outputs.length} outputs recorded, op gives ${types.length}`);
      types.forEach((t, i) => {
        const out = node.outputs[i];
        if (out && t.value) known.set(out, t.value);
        if (out && (out.dtype !== t.dtype || !matchesInferred(out.shape, t.shape))) {
          problems.push(
            `${where}: output ${out.name} recorded as ${out.dtype} ${formatShape(out.shape)}, op infers ${t.dtype} ${formatShape(t.shape)}`,
          );
        }
      });
    } catch (error) {
      if (!(error instanceof InferError)) throw error;
      problems.push(`${where}: ${error.message}`);
    }
    for (const out of node.outputs) define(out, `${where} output`);
    const value = node.attrs['value'];
    const first = node.outputs[0];
    if (node.op === 'Constant' && value?.kind === 'tensor' && first) constants.set(first, value.value);
  }

  if (graph.outputs.length === 0) problems.push('the graph has no outputs');
  for (const out of graph.outputs) {
    if (!defined.has(out)) problems.push(`output ${out.name} is never computed`);
  }
  return problems;
}

/** Recorded dims equal inferred ones, except where inference says the dim depends on data. */
function matchesInferred(recorded: Shape, inferred: Shape): boolean {
  return recorded.length === inferred.length && inferred.every((d, i) => d === UNKNOWN_DIM || d === recorded[i]);
}

/** Throws a BugError listing every problem (the first ten) when the graph is not well formed. */
export function verifyGraph(graph: Graph): void {
  const problems = findProblems(graph);
  if (problems.length === 0) return;
  const shown = problems.slice(0, 10).map((p) => `  - ${p}`);
  if (problems.length > 10) shown.push(`  - and ${problems.length - 10} more`);
  throw new BugError(`Graph ${graph.name} is not valid:\n${shown.join('\n')}`, { code: 'graph-invalid' });
}
