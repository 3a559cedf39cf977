import { describe, expect, it } from 'vitest';
import { latestOnly, type Outcome } from './latest-only';

/** A call whose answer the test gives, one at a time. */
function controlled() {
  const calls: { arg: string; answer: (v: string) => void; fail: (e: unknown) => void }[] = [];
  const run = (arg: string) => new Promise<string>((answer, fail) => calls.push({ arg, answer, fail }));
  return { calls, run };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('latestOnly', () => {
  it('keeps one call in flight and answers only the newest ask', async () => {
    const { calls, run } = controlled();
    const got: Outcome<string>[] = [];
    const q = latestOnly(run, (o) => got.push(o));
    q.ask('a');
    q.ask('b');
    q.ask('c');
    expect(calls.map((c) => c.arg)).toEqual(['a']);
    calls[0]!.answer('A');
    await settle();
    // 'b' was overtaken by 'c' before it started; 'a' is no longer the newest, so nobody sees its answer.
    expect(calls.map((c) => c.arg)).toEqual(['a', 'c']);
    expect(got).toEqual([]);
    calls[1]!.answer('C');
    await settle();
    expect(got).toEqual([{ ok: true, value: 'C' }]);
  });

  it('delivers failures, and nothing after cancel', async () => {
    const { calls, run } = controlled();
    const got: Outcome<string>[] = [];
    const q = latestOnly(run, (o) => got.push(o));
    q.ask('a');
    calls[0]!.fail(new Error('bad'));
    await settle();
    expect(got).toEqual([{ ok: false, error: new Error('bad') }]);
    q.ask('b');
    q.ask('c');
    q.cancel();
    calls[1]!.answer('B');
    await settle();
    expect(calls.map((c) => c.arg)).toEqual(['a', 'b']);
    expect(got).toHaveLength(1);
  });
});
