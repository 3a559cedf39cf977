// How an error from a call reads to the user: a UserError shows its message and hint (at the form field it names,
// when the form has that field); anything else is a bug and reads "Something went wrong" with its message.
import { CancelledError, UserError } from '../../../shared/errors';

export interface ErrorText {
  readonly title: string;
  readonly detail: string | undefined;
  readonly isBug: boolean;
}

export function isCancelled(error: unknown): boolean {
  return error instanceof CancelledError;
}

export function describeError(error: unknown): ErrorText {
  if (error instanceof UserError) return { title: error.message, detail: error.hint, isBug: false };
  const message = error instanceof Error ? error.message : String(error);
  return { title: 'Something went wrong', detail: message, isBug: true };
}

/** The field a UserError names for one method, given `where` like "workspace.create: name". */
export function errorField(error: unknown, method: string): string | undefined {
  if (!(error instanceof UserError) || !error.where) return undefined;
  const split = error.where.indexOf(': ');
  if (split < 0 || error.where.slice(0, split) !== method) return undefined;
  return error.where.slice(split + 2);
}

/**
 * The text to show under a field. Validation messages arrive as "Invalid argument for <where>: <zod message>";
 * next to the field itself only the zod message reads well. Other user errors keep their hint.
 */
export function fieldErrorText(error: UserError): string {
  const prefix = `Invalid argument for ${error.where ?? ''}: `;
  if (error.code === 'validation' && error.message.startsWith(prefix)) {
    return error.message.slice(prefix.length).split('; ')[0] ?? error.message;
  }
  return error.hint ? `${error.message} ${error.hint}` : error.message;
}

/** Splits a call's error between the form's fields and the form as a whole. */
export function formErrors<F extends string>(
  error: unknown,
  method: string,
  fields: readonly F[],
): { readonly byField: Partial<Record<F, string>>; readonly rest: unknown } {
  const field = errorField(error, method);
  if (error instanceof UserError && field && (fields as readonly string[]).includes(field)) {
    return { byField: { [field]: fieldErrorText(error) } as Partial<Record<F, string>>, rest: undefined };
  }
  return { byField: {}, rest: error };
}
