// Stopping criteria: token-level reasons, and stop strings found across pieces with the possible start held back.
import { describe, expect, it } from 'vitest';
import { StopStringMatcher, tokenFinishReason, type TokenCriteria } from './stopping';

describe('tokenFinishReason', () => {
  const criteria: TokenCriteria = { eosTokenIds: new Set([2, 9]), maxNewTokens: 4, maxLength: 10 };

  it('ends on any eos id, at max_new_tokens, and at the context length', () => {
    expect(tokenFinishReason(9, 1, 3, criteria)).toBe('eos');
    expect(tokenFinishReason(5, 3, 3, criteria)).toBeNull();
    expect(tokenFinishReason(5, 4, 3, criteria)).toBe('length');
    expect(tokenFinishReason(5, 2, 8, criteria)).toBe('length');
    expect(tokenFinishReason(2, 4, 3, criteria)).toBe('eos'); // eos wins over length
  });

  it('never ends on eos when there are no eos ids (ignore_eos)', () => {
    expect(tokenFinishReason(2, 1, 3, { ...criteria, eosTokenIds: new Set() })).toBeNull();
  });
});

describe('StopStringMatcher', () => {
  it('finds a stop string split across pieces and drops it and what follows', () => {
    const m = new StopStringMatcher(['STOP']);
    expect(m.push('abc S')).toEqual({ text: 'abc ', stop: null });
    expect(m.push('T')).toEqual({ text: '', stop: null });
    expect(m.push('OP and more')).toEqual({ text: '', stop: 'STOP' });
    expect(m.push('ignored')).toEqual({ text: '', stop: null });
  });

  it('releases held-back text once it cannot start a stop string any more', () => {
    const m = new StopStringMatcher(['STOP']);
    expect(m.push('a ST')).toEqual({ text: 'a ', stop: null });
    expect(m.push('ORM')).toEqual({ text: 'STORM', stop: null });
  });

  it('holds back the longest tail that starts any stop string', () => {
    const m = new StopStringMatcher(['\n\nUser:', 'END']);
    expect(m.push('Hi\n')).toEqual({ text: 'Hi', stop: null });
    expect(m.push('\nUs')).toEqual({ text: '', stop: null });
    expect(m.push('e')).toEqual({ text: '', stop: null }); // "\n\nUse" may still become "\n\nUser:"
    expect(m.push('d')).toEqual({ text: '\n\nUsed', stop: null });
    expect(m.push(' E')).toEqual({ text: ' ', stop: null });
    expect(m.flush()).toBe('E');
  });

  it('stops at the earliest match among several, in the middle of a piece', () => {
    const m = new StopStringMatcher(['world', 'lo w']);
    expect(m.push('hello world')).toEqual({ text: 'hel', stop: 'lo w' });
  });

  it('matches a stop string inside one piece and at the very start', () => {
    expect(new StopStringMatcher(['</s>']).push('x</s>y')).toEqual({ text: 'x', stop: '</s>' });
    expect(new StopStringMatcher(['\n']).push('\nabc')).toEqual({ text: '', stop: '\n' });
  });

  it('passes everything through without stop strings', () => {
    const m = new StopStringMatcher([]);
    expect(m.push('anything')).toEqual({ text: 'anything', stop: null });
    expect(m.flush()).toBe('');
  });

  it('matches across many one-character pieces', () => {
    const m = new StopStringMatcher(['###']);
    const out = [...'ab#c##x###y'].map((ch) => m.push(ch));
    expect(out.map((r) => r.text).join('')).toBe('ab#c##x');
    expect(out.at(-2)).toEqual({ text: '', stop: '###' });
  });
});
