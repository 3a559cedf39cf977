// How zod validation failures are worded everywhere (API calls, engine messages, model and adapter files):
// one "field.path: problem" clause per issue, and the first issue's field for UserError.where.
import type { z } from 'zod';

export function describeIssues(error: z.ZodError, limit = 5): string {
  const lines = error.issues.slice(0, limit).map((issue) => {
    const field = issue.path.map(String).join('.');
    return field === '' ? issue.message : `${field}: ${issue.message}`;
  });
  if (error.issues.length > limit) lines.push(`and ${error.issues.length - limit} more`);
  return lines.join('; ');
}

/** The first issue's field path ("" when the value itself is wrong). */
export function firstIssuePath(error: z.ZodError): string {
  return error.issues[0]?.path.map(String).join('.') ?? '';
}
