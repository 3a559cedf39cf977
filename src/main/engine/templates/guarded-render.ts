// The app's one Jinja interpreter (the lint rule lets no other file import it): @huggingface/jinja with limits a hostile
// template cannot get round. Synchronous; the render worker (prompts) and the engine worker (chat templates) run it off
// the main thread (decision 0011).
import { Environment, Interpreter } from '@huggingface/jinja';
import { parseTemplate } from '../../../shared/template-syntax';
import { explainParseError, explainRenderError, findName, type TemplateFailure } from './plain-errors';

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

export const RENDER_LIMITS: RenderLimits = { steps: 1_000_000, timeMs: 5_000, outputChars: 200_000, listItems: 1_000_000 };

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
      code: 'template-internal', ...place,
      message: `The template reads "${internal}", an internal attribute that templates may not use${place.line === null ? '' : ` (line ${place.line}, column ${place.column})`}`,
      hint: "Templates read the row's fields (and `examples`); remove the attribute.",
    });
  }
  return { source, parsed, optional: optionalIdentifiers(parsed) };
}

function children(n: Node): unknown[] {
  return Object.entries(n).filter(([key, child]) => key !== 'type' && child && typeof child === 'object').map(([, child]) => child);
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
    const name = property && (property.type === 'Identifier' || property.type === 'StringLiteral') ? property.value : undefined;
    if (typeof name === 'string' && INTERNAL.test(name)) found = name;
    return found !== null;
  });
  return found;
}

function optionalIdentifiers(program: Program): WeakSet<object> {
  const optional = new WeakSet<object>();
  const nameOf = (n: Node | undefined): unknown => (n?.type === 'CallExpression' ? (n.callee as Node | undefined)?.value : n?.value);
  walk(program, (n) => {
    const operand = n.operand as Node | undefined;
    if (operand?.type !== 'Identifier') return;
    if (n.type === 'TestExpression' && ['defined', 'undefined', 'none'].includes(String(nameOf(n.test as Node)))) optional.add(operand);
    if (n.type === 'FilterExpression' && ['default', 'd'].includes(String(nameOf(n.filter as Node)))) optional.add(operand);
  });
  return optional;
}

class LimitError extends Error {}

// Evaluated nodes are counted (the same template stops at the same place on every machine) and a clock backs the count
// up on a slow one; lists built by range() and `+` are capped and charged per item, since each is built in one step.

class Budget {
  private steps = 0;
  private nextClockCheck = 1024;
  private readonly deadline: number;

  constructor(readonly limits: RenderLimits) {
    this.deadline = performance.now() + limits.timeMs;
  }

  charge(n: number): void {
    this.steps += n;
    if (this.steps > this.limits.steps) {
      throw new LimitError(`The template was stopped after ${this.limits.steps.toLocaleString('en')} steps of work (it would run for a very long time)`);
    }
    if (this.steps >= this.nextClockCheck) {
      this.nextClockCheck = this.steps + 1024;
      if (performance.now() > this.deadline) throw new LimitError(`The template was stopped after running for ${this.limits.timeMs / 1000} seconds`);
    }
  }

  list(length: number, what: string): void {
    if (length > this.limits.listItems) {
      throw new LimitError(`${what} of ${length.toLocaleString('en')} items is over the ${this.limits.listItems.toLocaleString('en')} a template may build`);
    }
    this.charge(length);
  }

  output(chars: number): LimitError {
    return new LimitError(`The template's text grew to ${chars.toLocaleString('en')} characters, over the ${this.limits.outputChars.toLocaleString('en')} allowed`);
  }
}

type Value = { type: string; value: unknown; toString(): string };
type Statement = Parameters<Interpreter['evaluate']>[0];

class GuardedInterpreter extends Interpreter {
  private appended = 0;
  readonly unset = new Set<string>();

  constructor(env: Environment, private readonly budget: Budget, private readonly optional: WeakSet<object> | null) {
    super(env);
    // evaluateBlock is private in the library's types but an ordinary method: an own property takes its place.
    (this as unknown as { evaluateBlock: GuardedInterpreter['guardedBlock'] }).evaluateBlock = (statements, environment) => this.guardedBlock(statements, environment);
  }

  override evaluate(statement: Statement, environment: Environment): ReturnType<Interpreter['evaluate']> {
    this.budget.charge(1);
    const result = super.evaluate(statement, environment) as unknown as Value;
    const node = statement as unknown as Node;
    if (typeof result.value === 'string' && result.value.length > this.budget.limits.outputChars) throw this.budget.output(result.value.length);
    // `a + a` doubles a list in one step: charge its length and cap it.
    if (node.type === 'BinaryExpression' && Array.isArray(result.value)) this.budget.list(result.value.length, 'A list');
    if (this.optional && node.type === 'Identifier' && result.type === 'UndefinedValue' && !this.optional.has(node)) this.unset.add(String(node.value));
    return result as unknown as ReturnType<Interpreter['evaluate']>;
  }

  // evaluateBlock is where block output is concatenated (the program, loop and if bodies): count what it appends.
  // A loop's iterations each run a block, so charging a step here bounds empty loop bodies too.
  private guardedBlock(statements: unknown[], environment: Environment): Value {
    this.budget.charge(1);
    const max = this.budget.limits.outputChars;
    let result = '';
    for (const statement of statements) {
      const last = this.evaluate(statement as Statement, environment) as unknown as Value;
      if (last.type !== 'NullValue' && last.type !== 'UndefinedValue') {
        const text = last.toString();
        this.appended += text.length;
        // Nested blocks append their children's text again: all appends together are bounded too.
        if (this.appended > 20 * max || result.length + text.length > max) throw this.budget.output(result.length + text.length);
        result += text;
      }
    }
    return this.evaluate({ type: 'StringLiteral', value: result } as unknown as Statement, environment) as unknown as Value;
  }
}

export interface RenderOptions {
  readonly limits?: Partial<RenderLimits>;
  /** Report names read but not set (prompt templates); chat templates read optional names by design. */
  readonly warnUndefined?: boolean;
  /** Names deliberately unset, with why (the reference field: the expected answer never reaches a prompt). */
  readonly hidden?: Readonly<Record<string, string>>;
  /** Extra globals (a chat template's strftime_now). */
  readonly globals?: Readonly<Record<string, unknown>>;
}

export interface Rendered {
  readonly text: string;
  readonly warnings: TemplateWarning[];
}

/** Renders with the guards; any failure is a TemplateFailureError in plain words. */
export function renderGuarded(template: GuardedTemplate, context: Record<string, unknown>, options: RenderOptions = {}): Rendered {
  const budget = new Budget({ ...RENDER_LIMITS, ...options.limits });
  const globals: Record<string, unknown> = {
    false: false, true: true, none: null, False: false, True: true, None: null,
    raise_exception: (message: unknown) => {
      throw new TemplateFailureError({ code: 'template-render', message: `${RAISED}${String(message)}`, hint: 'The template calls raise_exception for this input.', line: null, column: null });
    },
    range: (start: number, stop?: number, step = 1): number[] => {
      const [from, to] = stop === undefined ? [0, start] : [start, stop];
      if (step === 0) throw new Error('range() step must not be zero');
      const length = Math.max(0, Math.ceil((to - from) / step));
      budget.list(length, `range() of ${length.toLocaleString('en')} numbers: a list`);
      return Array.from({ length }, (_v, i) => from + i * step);
    },
    ...options.globals,
  };
  const env = new Environment();
  for (const [name, value] of Object.entries(globals)) env.set(name, value);
  for (const [key, value] of Object.entries(context)) env.set(key, value);
  const interpreter = new GuardedInterpreter(env, budget, options.warnUndefined ? template.optional : null);
  let out: Value;
  try {
    out = interpreter.run(template.parsed as Parameters<Interpreter['run']>[0]) as unknown as Value;
  } catch (error) {
    if (error instanceof TemplateFailureError) throw error;
    if (error instanceof LimitError) {
      throw new TemplateFailureError({ code: 'template-too-long', message: error.message, hint: 'Look for a loop that never ends, a loop inside a loop over long lists, or a macro that calls itself.', line: null, column: null });
    }
    throw new TemplateFailureError(explainRenderError(error, template.source));
  }
  const warnings = [...interpreter.unset].map((name) => unsetWarning(template.source, name, options.hidden?.[name]));
  return { text: String(out.value), warnings };
}

function unsetWarning(source: string, name: string, why: string | undefined): TemplateWarning {
  const { line, column } = findName(source, name);
  const where = line === null ? '' : ` (line ${line}, column ${column})`;
  const message = why === undefined
    ? `"${name}"${where} is not set for this row, so it rendered as empty text`
    : `"${name}"${where} rendered as empty text: ${why}`;
  return { name, line, message };
}
