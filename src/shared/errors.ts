// The three kinds of error (docs/style.md) and their wire shape, shared by every process and transport.
// UserError: expected, shown to the user with a hint. BugError: an assertion failed. CancelledError: not a failure.
import { z } from 'zod';

export const ErrorShape = z.object({
  kind: z.enum(['user', 'bug', 'cancelled']),
  message: z.string(),
  /** What the user can do about it (UserError only). */
  hint: z.string().optional(),
  /** The file, row or field at fault, when there is one: "workspace.create: path", "data.jsonl:12". */
  where: z.string().optional(),
  /** A stable machine-readable code, e.g. "validation", "unknown-method", "workspace-newer". */
  code: z.string().optional(),
});
export type ErrorShape = z.infer<typeof ErrorShape>;

export interface UserErrorOptions {
  hint?: string;
  where?: string;
  code?: string;
  cause?: unknown;
}

export class UserError extends Error {
  override readonly name = 'UserError';
  readonly hint: string | undefined;
  readonly where: string | undefined;
  readonly code: string | undefined;
  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
    this.where = options.where;
    this.code = options.code;
  }
}

export class BugError extends Error {
  override readonly name = 'BugError';
  readonly code: string | undefined;
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
  }
}

export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'Cancelled') {
    super(message);
  }
}

/** Asserts an internal invariant; never use for user input (that is a UserError). */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new BugError(message);
}

/** Turns any thrown value into its wire shape; unknown errors become bugs. */
export function toErrorShape(error: unknown): ErrorShape {
  if (error instanceof UserError) {
    return strip({ kind: 'user', message: error.message, hint: error.hint, where: error.where, code: error.code });
  }
  if (error instanceof CancelledError) return { kind: 'cancelled', message: error.message };
  if (error instanceof BugError) return strip({ kind: 'bug', message: error.message, code: error.code });
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'bug', message };
}

/** Rebuilds the typed error from its wire shape (on the receiving side of any transport). */
export function fromErrorShape(shape: ErrorShape): UserError | BugError | CancelledError {
  switch (shape.kind) {
    case 'user':
      return new UserError(shape.message, strip({ hint: shape.hint, where: shape.where, code: shape.code }));
    case 'cancelled':
      return new CancelledError(shape.message);
    case 'bug':
      return new BugError(shape.message, strip({ code: shape.code }));
  }
}

function strip<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
