// The app's one Jinja interpreter (the lint rule lets no other file import it, and only workers import this file):
// @huggingface/jinja with limits a hostile template cannot get round. Synchronous; the render worker (prompts) and the
// engine worker (chat templates) run it off the main thread (decision 0011).
import { Environment, Interpreter } from '@huggingface/jinja';
import { explainRenderError, findName } from './plain-errors';
import {
  RAISED,
  RENDER_LIMITS,
  TemplateFailureError,
  type GuardedTemplate,
  type RenderLimits,
  type TemplateWarning,
} from './parse';

export {
  RAISED,
  RENDER_LIMITS,
  TemplateFailureError,
  parseGuarded,
  type GuardedTemplate,
  type RenderLimits,
  type TemplateWarning,
} from './parse';

type Node = { type?: string; [key: string]: unknown };

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
      throw new LimitError(
        `The template was stopped after ${this.limits.steps.toLocaleString('en')} steps of work (it would run for a very long time)`,
      );
    }
    if (this.steps >= this.nextClockCheck) {
      this.nextClockCheck = this.steps + 1024;
      if (performance.now() > this.deadline)
        throw new LimitError(`The template was stopped after running for ${this.limits.timeMs / 1000} seconds`);
    }
  }

  list(length: number, what: string): void {
    if (length > this.limits.listItems) {
      throw new LimitError(
        `${what} of ${length.toLocaleString('en')} items is over the ${this.limits.listItems.toLocaleString('en')} a template may build`,
      );
    }
    this.charge(length);
  }

  output(chars: number): LimitError {
    return new LimitError(
      `The template's text grew to ${chars.toLocaleString('en')} characters, over the ${this.limits.outputChars.toLocaleString('en')} allowed`,
    );
  }
}

type Value = { type: string; value: unknown; toString(): string };
type Statement = Parameters<Interpreter['evaluate']>[0];

class GuardedInterpreter extends Interpreter {
  private appended = 0;
  readonly unset = new Set<string>();

  constructor(
    env: Environment,
    private readonly budget: Budget,
    private readonly optional: WeakSet<object> | null,
  ) {
    super(env);
    // evaluateBlock is private in the library's types but an ordinary method: an own property takes its place.
    (this as unknown as { evaluateBlock: GuardedInterpreter['guardedBlock'] }).evaluateBlock = (
      statements,
      environment,
    ) => this.guardedBlock(statements, environment);
  }

  override evaluate(statement: Statement, environment: Environment): ReturnType<Interpreter['evaluate']> {
    this.budget.charge(1);
    const result = super.evaluate(statement, environment) as unknown as Value;
    const node = statement as unknown as Node;
    if (typeof result.value === 'string' && result.value.length > this.budget.limits.outputChars)
      throw this.budget.output(result.value.length);
    // `a + a` doubles a list in one step: charge its length and cap it.
    if (node.type === 'BinaryExpression' && Array.isArray(result.value))
      this.budget.list(result.value.length, 'A list');
    if (this.optional && node.type === 'Identifier' && result.type === 'UndefinedValue' && !this.optional.has(node))
      this.unset.add(String(node.value));
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
        if (this.appended > 20 * max || result.length + text.length > max)
          throw this.budget.output(result.length + text.length);
        result += text;
      }
    }
    return this.evaluate(
      { type: 'StringLiteral', value: result } as unknown as Statement,
      environment,
    ) as unknown as Value;
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
export function renderGuarded(
  template: GuardedTemplate,
  context: Record<string, unknown>,
  options: RenderOptions = {},
): Rendered {
  const budget = new Budget({ ...RENDER_LIMITS, ...options.limits });
  const globals: Record<string, unknown> = {
    false: false,
    true: true,
    none: null,
    False: false,
    True: true,
    None: null,
    raise_exception: (message: unknown) => {
      throw new TemplateFailureError({
        code: 'template-render',
        message: `${RAISED}${String(message)}`,
        hint: 'The template calls raise_exception for this input.',
        line: null,
        column: null,
      });
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
      throw new TemplateFailureError({
        code: 'template-too-long',
        message: error.message,
        hint: 'Look for a loop that never ends, a loop inside a loop over long lists, or a macro that calls itself.',
        line: null,
        column: null,
      });
    }
    throw new TemplateFailureError(explainRenderError(error, template.source));
  }
  const warnings = [...interpreter.unset].map((name) => unsetWarning(template.source, name, options.hidden?.[name]));
  return { text: String(out.value), warnings };
}

function unsetWarning(source: string, name: string, why: string | undefined): TemplateWarning {
  const { line, column } = findName(source, name);
  const where = line === null ? '' : ` (line ${line}, column ${column})`;
  const message =
    why === undefined
      ? `"${name}"${where} is not set for this row, so it rendered as empty text`
      : `"${name}"${where} rendered as empty text: ${why}`;
  return { name, line, message };
}
