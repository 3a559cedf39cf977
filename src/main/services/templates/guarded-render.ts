// Rendering that a hostile template cannot hang or blow up. @huggingface/jinja is a tree-walking interpreter, so a
// subclass that counts evaluated nodes bounds the work deterministically (the same template stops at the same place
// on every machine; a wall-clock limit backs it up on a slow one), a capped range() bounds the one builtin that allocates in a single step, and every
// string produced (and everything appended to block output) is measured against MAX_RENDERED_CHARS. Attribute names
// that reach for JavaScript internals (__class__, constructor, prototype, ...) are refused when parsing: the library
// already answers them with undefined, but a template that tries is a mistake or an attack and should say so.
import { Environment, Interpreter, Template } from '@huggingface/jinja';
import { UserError } from '../../../shared/errors';

/** Guards a preview or a run against a template that expands without bound (e.g. a loop over a huge range). */
export const MAX_RENDERED_CHARS = 200_000;
/** Nodes, loop iterations and range() numbers one render may spend: far above any real prompt (a 64-example loop
 * is a few thousand). */
export const MAX_RENDER_STEPS = 1_000_000;
/** A second, wall-clock bound for one render, for a machine slow enough that the step budget takes long to spend. */
export const RENDER_TIME_LIMIT_MS = 5_000;
/** The longest range() a template may build. */
export const MAX_RANGE = 1_000_000;
/** Characters all blocks together may append (nested blocks append their children's text again). */
const MAX_APPENDED_CHARS = 20 * MAX_RENDERED_CHARS;

const INTERNAL = /^(__.*|constructor|prototype|__proto__|caller|callee|arguments)$/;

export class RenderLimitError extends Error {
  constructor(message: string, readonly code: string, readonly hint: string) {
    super(message);
  }
}

type Node = { type?: string; [key: string]: unknown };

/** Parses a template and refuses member access to internal names (`x.__class__`, `x['constructor']`). */
export function guardedParse(source: string): Template {
  const template = new Template(source);
  const internal = findInternalAccess(template.parsed);
  if (internal !== null) {
    throw new UserError(`The template reads "${internal}", an internal attribute that templates may not use`, {
      code: 'template-internal', where: 'source', hint: "Templates read the row's fields (and `examples`); remove the attribute.",
    });
  }
  return template;
}

function findInternalAccess(node: unknown): string | null {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findInternalAccess(child);
      if (found !== null) return found;
    }
    return null;
  }
  if (!node || typeof node !== 'object') return null;
  const n = node as Node;
  if (n.type === 'MemberExpression') {
    const property = n.property as Node | undefined;
    const name = property && (property.type === 'Identifier' || property.type === 'StringLiteral') ? property.value : undefined;
    if (typeof name === 'string' && INTERNAL.test(name)) return name;
  }
  for (const [key, child] of Object.entries(n)) {
    if (key === 'type' || !child || typeof child !== 'object') continue;
    const found = findInternalAccess(child);
    if (found !== null) return found;
  }
  return null;
}

/** range() that refuses huge lists and charges each number it builds to the render's step budget. */
function cappedRange(budget: StepBudget) {
  return (start: number, stop?: number, step = 1): number[] => {
    const [from, to] = stop === undefined ? [0, start] : [start, stop];
    if (step === 0) throw new Error('range() step must not be zero');
    const length = Math.max(0, Math.ceil((to - from) / step));
    if (length > MAX_RANGE) {
      throw new RenderLimitError(`range() of ${length.toLocaleString('en')} numbers is over the ${MAX_RANGE.toLocaleString('en')} allowed`, 'template-too-long', 'Look for a loop that repeats without bound.');
    }
    budget.charge(length);
    return Array.from({ length }, (_v, i) => from + i * step);
  };
}

const LOOP_HINT = 'Look for a loop that repeats without bound, or nested loops over long lists.';

class StepBudget {
  private steps = 0;
  private nextClockCheck = 1024;
  private readonly deadline = performance.now() + RENDER_TIME_LIMIT_MS;

  charge(n: number): void {
    this.steps += n;
    if (this.steps > MAX_RENDER_STEPS) throw new RenderLimitError(`it ran over ${MAX_RENDER_STEPS.toLocaleString('en')} steps`, 'template-too-long', LOOP_HINT);
    if (this.steps >= this.nextClockCheck) {
      this.nextClockCheck = this.steps + 1024;
      if (performance.now() > this.deadline) throw new RenderLimitError(`it ran for over ${RENDER_TIME_LIMIT_MS / 1000} seconds`, 'template-too-long', LOOP_HINT);
    }
  }
}

type Value = { type: string; value: unknown; toString(): string };

class GuardedInterpreter extends Interpreter {
  private appended = 0;

  constructor(env: Environment, private readonly budget: StepBudget) {
    super(env);
    // evaluateBlock is private in the library's types but an ordinary method: an own property takes its place.
    (this as unknown as { evaluateBlock: GuardedInterpreter['guardedBlock'] }).evaluateBlock = (statements, environment) => this.guardedBlock(statements, environment);
  }

  override evaluate(statement: Parameters<Interpreter['evaluate']>[0], environment: Environment): ReturnType<Interpreter['evaluate']> {
    this.budget.charge(1);
    const result = super.evaluate(statement, environment) as unknown as Value;
    if (typeof result.value === 'string' && result.value.length > MAX_RENDERED_CHARS) throw tooLong(result.value.length);
    return result as unknown as ReturnType<Interpreter['evaluate']>;
  }

  // evaluateBlock is where block output is concatenated (the program, loop and if bodies): count what it appends.
  // A loop's iterations each run a block, so charging a step here bounds empty loop bodies too.
  private guardedBlock(statements: unknown[], environment: Environment): Value {
    this.budget.charge(1);
    let result = '';
    for (const statement of statements) {
      const last = this.evaluate(statement as Parameters<Interpreter['evaluate']>[0], environment) as unknown as Value;
      if (last.type !== 'NullValue' && last.type !== 'UndefinedValue') {
        const text = last.toString();
        this.appended += text.length;
        if (this.appended > MAX_APPENDED_CHARS || result.length + text.length > MAX_RENDERED_CHARS) throw tooLong(result.length + text.length);
        result += text;
      }
    }
    return this.evaluate({ type: 'StringLiteral', value: result } as unknown as Parameters<Interpreter['evaluate']>[0], environment) as unknown as Value;
  }
}

function tooLong(chars: number): RenderLimitError {
  return new RenderLimitError(
    `its output grew to ${chars.toLocaleString('en')} characters, over the ${MAX_RENDERED_CHARS.toLocaleString('en')} allowed`,
    'template-too-long',
    'Look for a loop that repeats without bound.',
  );
}

/** Template.render with the guards: the same globals (range capped; no clock), the same conversion of values. */
export function guardedRender(template: Template, context: Record<string, unknown>): string {
  const budget = new StepBudget();
  const globals: Record<string, unknown> = {
    false: false, true: true, none: null, False: false, True: true, None: null,
    raise_exception: (message: unknown) => {
      throw new Error(String(message));
    },
    range: cappedRange(budget),
  };
  const env = new Environment();
  for (const [name, value] of Object.entries(globals)) env.set(name, value);
  for (const [key, value] of Object.entries(context)) env.set(key, value);
  const out = new GuardedInterpreter(env, budget).run(template.parsed) as unknown as Value;
  return String(out.value);
}
