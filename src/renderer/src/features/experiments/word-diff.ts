// A word-level diff (pure): which words of an output differ from a base text (the reference, or the first cell's
// output), by the longest common subsequence of the two word sequences. Whitespace stays with the word before it,
// so joining the segments' text gives back the inputs exactly. Written here because it is twenty lines and the
// `diff` package is not a dependency.

export interface DiffSegment {
  /** same: in both; added: only in the output; removed: only in the base. */
  readonly kind: 'same' | 'added' | 'removed';
  readonly text: string;
}

/** Beyond this many word pairs the LCS table would be too large to build on every render: compare as a whole. */
const MAX_CELLS = 400_000;

/** Words with their trailing whitespace; leading whitespace is its own token. */
export function tokenize(text: string): string[] {
  return text.match(/^\s+|\S+\s*/g) ?? [];
}

const word = (token: string): string => token.trimEnd();

/** Segments of `output` against `base`, in order; adjacent segments of one kind are merged. */
export function wordDiff(base: string, output: string): DiffSegment[] {
  const a = tokenize(base);
  const b = tokenize(output);
  if (a.length * b.length > MAX_CELLS) {
    return base === output
      ? merge([{ kind: 'same', text: output }])
      : merge([
          { kind: 'removed', text: base },
          { kind: 'added', text: output },
        ]);
  }
  // lcs[i][j]: length of the LCS of a[i..] and b[j..] (by words, whitespace ignored).
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    const row = lcs[i] as Uint32Array;
    const next = lcs[i + 1] as Uint32Array;
    for (let j = b.length - 1; j >= 0; j--) {
      row[j] =
        word(a[i] as string) === word(b[j] as string)
          ? (next[j + 1] as number) + 1
          : Math.max(next[j] as number, row[j + 1] as number);
    }
  }
  const out: DiffSegment[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ai = a[i] as string;
    const bj = b[j] as string;
    if (word(ai) === word(bj)) {
      out.push({ kind: 'same', text: bj });
      i++;
      j++;
    } else if (((lcs[i + 1] as Uint32Array)[j] as number) >= ((lcs[i] as Uint32Array)[j + 1] as number)) {
      out.push({ kind: 'removed', text: ai });
      i++;
    } else {
      out.push({ kind: 'added', text: bj });
      j++;
    }
  }
  for (; i < a.length; i++) out.push({ kind: 'removed', text: a[i] as string });
  for (; j < b.length; j++) out.push({ kind: 'added', text: b[j] as string });
  return merge(out);
}

function merge(segments: readonly DiffSegment[]): DiffSegment[] {
  const out: DiffSegment[] = [];
  for (const s of segments) {
    if (s.text === '') continue;
    const last = out[out.length - 1];
    if (last && last.kind === s.kind) out[out.length - 1] = { kind: s.kind, text: last.text + s.text };
    else out.push(s);
  }
  return out;
}

/** The output's text as segments to show: same and added only (what the output says, changes marked). */
export function outputSegments(base: string, output: string): DiffSegment[] {
  return merge(wordDiff(base, output).filter((s) => s.kind !== 'removed'));
}
