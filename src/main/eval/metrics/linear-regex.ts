// The regex metric's matcher: RE2 (re2-wasm, a WebAssembly build of Google's RE2), whose matching time is linear in
// the output's length, so a user's pattern such as (a+)+$ cannot stall scoring the way a backtracking engine does.
// Compiled patterns are cached by source and flags. JavaScript flags map to RE2's: i, m, s kept; u and v as RE2's
// (always Unicode) mode; g and d mean nothing for a yes/no test; y (sticky at the start) becomes \A.
import { RE2 } from 're2-wasm';

export interface LinearRegex {
  test(text: string): boolean;
  /** Every non-overlapping match, as offsets into the text (at most `limit`). */
  matches(text: string, limit?: number): { start: number; end: number }[];
}

const cache = new Map<string, LinearRegex | string>();
const CACHE_LIMIT = 256;

/** The compiled matcher, or the reason RE2 refuses the pattern (a construct it does not have). */
export function linearRegex(pattern: string, flags: string): LinearRegex | string {
  const key = `${flags}/${pattern}`;
  let entry = cache.get(key);
  if (entry === undefined) {
    entry = compile(pattern, flags);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, entry);
  }
  return entry;
}

function compile(pattern: string, flags: string): LinearRegex | string {
  const re2Flags = `${[...'ims'].filter((f) => flags.includes(f)).join('')}u`;
  const source = flags.includes('y') ? `\\A(?:${pattern})` : pattern;
  try {
    const re = new RE2(source, re2Flags);
    const global = new RE2(source, `${re2Flags}g`);
    return {
      test: (text: string) => re.test(text),
      matches: (text, limit = 10_000) => allMatches(global, text, limit),
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `the pattern cannot run on the linear-time matcher (${reason})`;
  }
}

function allMatches(re: RE2, text: string, limit: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null && out.length < limit; m = re.exec(text)) {
    const start = m.index;
    const end = start + (m[0] ?? '').length;
    out.push({ start, end });
    if (end === start) re.lastIndex = end + 1; // an empty match: step on, or exec finds it again
  }
  return out;
}
