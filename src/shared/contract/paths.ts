// Path arguments as users type or pick them: one schema for every folder and file path in the contract, so a path
// no file system can hold (a NUL character, absurd length) is refused with a clear message before main sees it.
import { z } from 'zod';

/** Why a typed path cannot name a file anywhere; undefined when it may. Main checks the same for internal callers. */
export function pathTextProblem(path: string): string | undefined {
  if (path.includes('\u0000')) return 'contains a NUL character, which no file or folder name can hold';
  // Other control characters are legal on Linux but are almost always a paste accident; say so rather than fail later.
  if ([...path].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    return 'contains a control character (a tab or line break pasted with it?)';
  return undefined;
}

/** A file or folder path; main resolves `~` and relative paths and checks what is there. */
export function userPath(required: string): z.ZodType<string, string> {
  return z
    .string()
    .trim()
    .min(1, required)
    .max(4096, 'A path is at most 4096 characters')
    .superRefine((path, ctx) => {
      const problem = pathTextProblem(path);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `The path ${problem}` });
    });
}
