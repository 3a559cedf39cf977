// Where a template fails to parse, for the editor's inline marker and the renderer's error messages; parsing only
// (tokenize + parse of @huggingface/jinja), nothing is evaluated.
import { parse, tokenize } from '@huggingface/jinja';

export interface TemplateDiagnostic {
  readonly message: string;
  /** 1-based, as Monaco counts; end column exclusive. */
  readonly startLineNumber: number;
  readonly startColumn: number;
  readonly endLineNumber: number;
  readonly endColumn: number;
}

interface Tag {
  readonly kind: '{{' | '{%' | '{#';
  readonly start: number;
  /** Offset after the closing delimiter; -1 when it never closes. */
  readonly end: number;
  readonly inner: string;
}

const CLOSERS = { '{{': '}}', '{%': '%}', '{#': '#}' } as const;
const BLOCKS = ['for', 'if', 'macro', 'filter', 'call'] as const;

/** Parses as the renderer does (Template's lexer options); parsing evaluates nothing. */
export function parseTemplate(source: string): ReturnType<typeof parse> {
  return parse(tokenize(source, { lstrip_blocks: true, trim_blocks: true }));
}

function parses(source: string): string | null {
  try {
    parseTemplate(source);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export function scanTags(source: string): Tag[] {
  const tags: Tag[] = [];
  const opener = /\{\{|\{%|\{#/g;
  let m: RegExpExecArray | null;
  while ((m = opener.exec(source)) !== null) {
    const kind = m[0] as Tag['kind'];
    const close = source.indexOf(CLOSERS[kind], m.index + 2);
    if (close < 0) {
      tags.push({ kind, start: m.index, end: -1, inner: source.slice(m.index + 2) });
      break;
    }
    tags.push({ kind, start: m.index, end: close + 2, inner: source.slice(m.index + 2, close) });
    opener.lastIndex = close + 2;
  }
  return tags;
}

export function position(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function range(source: string, start: number, end: number, message: string): TemplateDiagnostic {
  const a = position(source, start);
  const b = position(source, Math.max(end, start + 1));
  return { message, startLineNumber: a.line, startColumn: a.column, endLineNumber: b.line, endColumn: b.column };
}

function statementWord(inner: string): string {
  return inner.replace(/^-/, '').trim().split(/\s+/)[0] ?? '';
}

/**
 * null when the template parses; otherwise the parser's message at the best position found. The parser gives no
 * position, so smaller pieces are parsed with it: a tag that never closes, then each {{ expression }} alone, then each
 * block statement with its end tag (and the pairing of openers and end tags); failing those, the last line.
 */
export function templateDiagnostic(source: string): TemplateDiagnostic | null {
  const message = parses(source);
  if (message === null) return null;
  const tags = scanTags(source);
  const unclosed = tags.find((t) => t.end < 0);
  if (unclosed) {
    const lineEnd = source.indexOf('\n', unclosed.start);
    return range(
      source,
      unclosed.start,
      lineEnd < 0 ? source.length : lineEnd,
      `${message} (this ${unclosed.kind} has no ${CLOSERS[unclosed.kind]})`,
    );
  }
  for (const tag of tags) {
    if (tag.kind !== '{{') continue;
    const own = parses(source.slice(tag.start, tag.end));
    if (own !== null) return range(source, tag.start, tag.end, own);
  }
  const open: { word: string; tag: Tag }[] = [];
  for (const tag of tags) {
    if (tag.kind !== '{%') continue;
    const word = statementWord(tag.inner);
    const text = source.slice(tag.start, tag.end);
    if ((BLOCKS as readonly string[]).includes(word)) {
      const own = parses(`${text}{% end${word} %}`);
      if (own !== null) return range(source, tag.start, tag.end, own);
      open.push({ word, tag });
    } else if (word.startsWith('end')) {
      const top = open.pop();
      if (!top || `end${top.word}` !== word) {
        return range(
          source,
          tag.start,
          tag.end,
          top
            ? `{% ${word} %} closes a {% ${top.word} %}: expected {% end${top.word} %}`
            : `{% ${word} %} has no opening tag`,
        );
      }
    } else if (word === 'set' && !tag.inner.includes('=')) {
      open.push({ word, tag });
    } else if (!['elif', 'else', 'break', 'continue', 'set', 'endset'].includes(word)) {
      const own = parses(text);
      if (own !== null) return range(source, tag.start, tag.end, own);
    }
  }
  const last = open.at(-1);
  if (last) return range(source, last.tag.start, last.tag.end, `{% ${last.word} %} has no {% end${last.word} %}`);
  const lines = source.split('\n');
  const lastLine = lines.length;
  return {
    message,
    startLineNumber: lastLine,
    startColumn: 1,
    endLineNumber: lastLine,
    endColumn: (lines[lastLine - 1]?.length ?? 0) + 1,
  };
}
