// Parsing a template for the guarded renderer (no evaluation: services parse on the main thread to validate and list
// fields), with the limits, failures and warnings the renderer (guarded-render.ts) shares with its callers.
import { parseTemplate } from '../../../shared/template-syntax';
import { explainParseError, findName, type TemplateFailure } from './plain-errors';

export interface RenderLimits {
  /** Nodes, loop iterations, range() numbers and list items one render may spend: far above any real prompt. */
  readonly steps: number;
  /** Wall-clock bound of one render, for a machine slow enough that the step budget takes long to spend. */
  readonly timeMs: number;
  /** Characters of any one string and of the output. */
  readonly outputChars: number;
  /** The longest list range() (or `+` of lists) may build. */
  readonly listItems: number;
}

export const RENDER_LIMITS: RenderLimits = {
  steps: 1_000_000,
  timeMs: 5_000,
  outputChars: 200_000,
  listItems: 1_000_000,
};

/** A template that failed, explained (plain-errors.ts); crosses worker boundaries as its `failure`. */
export class TemplateFailureError extends Error {
  constructor(readonly failure: TemplateFailure) {
    super(failure.message);
  }
}

/** How a template's own raise_exception("...") message is introduced. */
export const RAISED = 'The template stopped itself: ';

export interface TemplateWarning {
  readonly name: string;
  readonly line: number | null;
  readonly message: string;
}

type Program = ReturnType<typeof parseTemplate>;
type Node = { type?: string; [key: string]: unknown };

export interface GuardedTemplate {
  readonly source: string;
  readonly parsed: Program;
  /** Identifiers read under `is defined` / `| default(...)`: being unset is expected there, so no warning. */
  readonly optional: WeakSet<object>;
}

const INTERNAL = /^(__.*|constructor|prototype|__proto__|caller|callee|arguments)$/;

/** Parses a template; a mistake is a TemplateFailureError in plain words with line and column. */
export function parseGuarded(source: string): GuardedTemplate {
  let parsed: Program;
  try {
    parsed = parseTemplate(source);
  } catch (error) {
    throw new TemplateFailureError(explainParseError(error, source));
  }
  const internal = findInternalAccess(parsed);
  if (internal !== null) {
    const place = findName(source, internal, true);
    throw new TemplateFailureError({
      code: 'template-internal',
      ...place,
      message: `The template reads "${internal}", an internal attribute that templates may not use${place.line === null ? '' : ` (line ${place.line}, column ${place.column})`}`,
      hint: "Templates read the row's fields (and `examples`); remove the attribute.",
    });
  }
  return { source, parsed, optional: optionalIdentifiers(parsed) };
}

function children(n: Node): unknown[] {
  return Object.entries(n)
    .filter(([key, child]) => key !== 'type' && child && typeof child === 'object')
    .map(([, child]) => child);
}

function walk(node: unknown, visit: (n: Node) => boolean | void): boolean {
  if (Array.isArray(node)) return node.some((c) => walk(c, visit));
  if (!node || typeof node !== 'object') return false;
  if (visit(node as Node) === true) return true;
  return children(node as Node).some((c) => walk(c, visit));
}

function findInternalAccess(program: Program): string | null {
  let found: string | null = null;
  walk(program, (n) => {
    if (n.type !== 'MemberExpression') return false;
    const property = n.property as Node | undefined;
    const name =
      property && (property.type === 'Identifier' || property.type === 'StringLiteral') ? property.value : undefined;
    if (typeof name === 'string' && INTERNAL.test(name)) found = name;
    return found !== null;
  });
  return found;
}

function optionalIdentifiers(program: Program): WeakSet<object> {
  const optional = new WeakSet<object>();
  const nameOf = (n: Node | undefined): unknown =>
    n?.type === 'CallExpression' ? (n.callee as Node | undefined)?.value : n?.value;
  walk(program, (n) => {
    const operand = n.operand as Node | undefined;
    if (operand?.type !== 'Identifier') return;
    if (n.type === 'TestExpression' && ['defined', 'undefined', 'none'].includes(String(nameOf(n.test as Node))))
      optional.add(operand);
    if (n.type === 'FilterExpression' && ['default', 'd'].includes(String(nameOf(n.filter as Node))))
      optional.add(operand);
  });
  return optional;
}
