// Reading a judge's answer: labels (whole answer, first line, the one label named), scores in range, and what is
// unparseable (no label, two labels, no number, out of range), scored null with its reason.
import { describe, expect, it } from 'vitest';
import { scoreExample } from './score';
import { parseLabel, parseScore, scoreJudgeAnswer } from './judge';
import { JudgeAnswer, MetricSpec } from '../../../shared/metrics';

const labels = ['neutral', 'rude'];

describe('judge answers', () => {
  it('reads a label from the whole answer, its first line, or the one label it names', () => {
    expect(parseLabel('Neutral.', labels)).toEqual({ ok: true, value: 'neutral' });
    expect(parseLabel('  "RUDE"  ', labels)).toEqual({ ok: true, value: 'rude' });
    expect(parseLabel('rude\nbecause it insults the reader', labels)).toEqual({ ok: true, value: 'rude' });
    expect(parseLabel('The tone is neutral overall.', labels)).toEqual({ ok: true, value: 'neutral' });
  });

  it('calls an answer with no label, two labels or a label inside a word unparseable', () => {
    expect(parseLabel('the the the', labels)).toEqual({
      ok: false,
      reason: 'names none of the labels (neutral, rude)',
    });
    expect(parseLabel('neutral or rude, hard to say', labels)).toEqual({
      ok: false,
      reason: 'names more than one label (neutral, rude)',
    });
    expect(parseLabel('crudely put', labels).ok).toBe(false);
  });

  it('reads the first number of a score answer and refuses one outside the range', () => {
    expect(parseScore('5', 1, 7)).toEqual({ ok: true, value: 5 });
    expect(parseScore('Score: 6.5 out of 7', 1, 7)).toEqual({ ok: true, value: 6.5 });
    expect(parseScore('-1', -2, 2)).toEqual({ ok: true, value: -1 });
    expect(parseScore('9', 1, 7)).toEqual({ ok: false, reason: 'gives 9, outside the range 1 to 7' });
    expect(parseScore('very good', 1, 7)).toEqual({
      ok: false,
      reason: 'has no number (expected a score from 1 to 7)',
    });
  });

  it('scores passing labels 1 and others 0, and an unparseable answer null with its reason', () => {
    const answer = JudgeAnswer.parse({ kind: 'labels', labels, passing: ['neutral'] });
    expect(scoreJudgeAnswer(answer, 'neutral')).toEqual({ score: 1, detail: { answer: 'neutral', parsed: 'neutral' } });
    expect(scoreJudgeAnswer(answer, 'Rude!')).toEqual({ score: 0, detail: { answer: 'Rude!', parsed: 'rude' } });
    expect(scoreJudgeAnswer(answer, 'blue')).toEqual({
      score: null,
      detail: {
        answer: 'blue',
        unparseable: true,
        errors: ["The judge's answer names none of the labels (neutral, rude)"],
      },
    });
    expect(scoreJudgeAnswer(answer, undefined)).toEqual({
      score: null,
      detail: { errors: ['not judged yet (run the experiment)'] },
    });
  });

  it('goes through scoreExample with the answer the caller passes', () => {
    const spec = MetricSpec.parse({
      kind: 'judge',
      judge: 'spec-1',
      prompt: 'Rate {{ output }}',
      answer: { kind: 'score', min: 1, max: 7 },
      threshold: 5,
    });
    expect(scoreExample(spec, { output: 'x', reference: null, judgeAnswer: '4' }).score).toBe(4);
    expect(scoreExample(spec, { output: 'x', reference: null, judgeAnswer: '8' }).score).toBeNull();
  });

  it('refuses specs whose passing labels, range or threshold do not fit', () => {
    const base = { kind: 'judge', judge: 's', prompt: 'p' };
    const messages = (input: object): string[] =>
      MetricSpec.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(messages({ ...base, answer: { kind: 'labels', labels, passing: ['polite'] } })).toEqual([
      'answer.passing: names "polite", which is not one of the labels',
    ]);
    expect(messages({ ...base, answer: { kind: 'score', min: 7, max: 1 } })).toEqual([
      'answer.max: must be greater than min',
    ]);
    expect(messages({ ...base, answer: { kind: 'score', min: 1, max: 7 }, threshold: 9 })).toEqual([
      'threshold: must be within the score range 1 to 7',
    ]);
    expect(messages({ ...base, answer: { kind: 'labels', labels, passing: ['rude'] }, threshold: 2 })).toEqual([
      'threshold: must be between 0 and 1 (the share of passing labels)',
    ]);
  });
});
