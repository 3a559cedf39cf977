// Reading a judge model's answer: one of a grader's labels, or a number in its range. Pure. An answer that reads as
// neither is unparseable: it scores null (counted and shown), never a silent 0 or 1.
import type { JudgeAnswer } from '../../../shared/metrics';
import { normalizeText } from './normalize';
import type { ExampleScore } from './types';

/** Longest answer text kept in a score's detail (the full answer stays in the outputs table). */
const SHOWN_CHARS = 500;

export type ParsedAnswer = { ok: true; value: string | number } | { ok: false; reason: string };

/**
 * A label answer: the whole answer, or its first line, equal to a label once normalised (case, spacing, wrapping
 * quotes and punctuation); else the one label that occurs in it as a whole word. Two different labels in the
 * answer, or none, are unparseable.
 */
export function parseLabel(answer: string, labels: readonly string[]): ParsedAnswer {
  const byNorm = new Map(labels.map((l) => [normalizeText(l), l]));
  const whole = byNorm.get(normalizeText(answer));
  if (whole !== undefined) return { ok: true, value: whole };
  const firstLine = answer.trim().split(/\r?\n/, 1)[0] ?? '';
  const first = byNorm.get(normalizeText(firstLine));
  if (first !== undefined) return { ok: true, value: first };
  const text = normalizeText(answer);
  const found = labels.filter((l) =>
    new RegExp(`(^|[^\\p{L}\\p{N}_])${escape(normalizeText(l))}($|[^\\p{L}\\p{N}_])`, 'u').test(text),
  );
  if (found.length === 1) return { ok: true, value: found[0] as string };
  return {
    ok: false,
    reason:
      found.length === 0
        ? `names none of the labels (${labels.join(', ')})`
        : `names more than one label (${found.join(', ')})`,
  };
}

/** A score answer: the first number in it, which must lie in [min, max]. */
export function parseScore(answer: string, min: number, max: number): ParsedAnswer {
  const match = /[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?/i.exec(answer);
  if (match === null) return { ok: false, reason: `has no number (expected a score from ${min} to ${max})` };
  const value = Number(match[0]);
  if (!Number.isFinite(value) || value < min || value > max)
    return { ok: false, reason: `gives ${match[0]}, outside the range ${min} to ${max}` };
  return { ok: true, value };
}

/** One judged example's score: the label's pass (1/0) or the number; null with the reason when unparseable. */
export function scoreJudgeAnswer(answer: JudgeAnswer, text: string | undefined): ExampleScore {
  if (text === undefined) return { score: null, detail: { errors: ['not judged yet (run the experiment)'] } };
  const shown = text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
  const parsed = answer.kind === 'labels' ? parseLabel(text, answer.labels) : parseScore(text, answer.min, answer.max);
  if (!parsed.ok)
    return {
      score: null,
      detail: { answer: shown, unparseable: true, errors: [`The judge's answer ${parsed.reason}`] },
    };
  if (answer.kind === 'score')
    return { score: parsed.value as number, detail: { answer: shown, parsed: parsed.value } };
  const pass = answer.passing.some((p) => normalizeText(p) === normalizeText(String(parsed.value)));
  return { score: pass ? 1 : 0, detail: { answer: shown, parsed: parsed.value } };
}

function escape(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}
