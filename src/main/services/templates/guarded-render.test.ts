// Hostile templates are stopped with a clear message, quickly, by the one renderer: unbounded loops (nested, or over
// a huge range), huge output (direct, doubled through a namespace, or repeated big values) and reaching for internals.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors';
import { compileTemplate, MAX_RENDERED_CHARS, renderRow } from './render';

const roles = { input: ['message'], reference: 'output' };
const render = (source: string, row: Record<string, unknown> = { message: 'hi' }) =>
  renderRow({ template: compileTemplate(source), like: { source, system: null, chat: false } }, row, roles, [], 'row 1');

function stopped(source: string, row?: Record<string, unknown>): UserError {
  const started = performance.now();
  try {
    render(source, row);
  } catch (error) {
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error(`not stopped: ${source}`);
}

describe('hostile templates', () => {
  it('stops nested loops that would run without bound, by a step budget (or the time limit on a slow machine)', () => {
    const error = stopped('{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}');
    expect(error.code).toBe('template-too-long');
    expect(error.message).toMatch(/stopped on row 1: it ran (over 1,000,000 steps|for over 5 seconds)/);
  });

  it('refuses a range too long to build', () => {
    expect(stopped('{% for i in range(1000000000) %}x{% endfor %}').message).toMatch(/range\(\) of 1,000,000,000 numbers is over/);
  });

  it('stops huge output: a long loop, doubling through a namespace, a big value repeated', () => {
    expect(stopped(`{% for i in range(${MAX_RENDERED_CHARS}) %}xy{% endfor %}`).message).toMatch(/over the 200,000 allowed/);
    const doubling = '{% set ns = namespace(s="x") %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}';
    expect(stopped(doubling).message).toMatch(/over the 200,000 allowed/);
    expect(stopped('{% for i in range(1000) %}{{ message }}{% endfor %}', { message: 'x'.repeat(150_000) }).message).toMatch(/over the 200,000 allowed/);
  });

  it('refuses attribute access to internals when parsing, with the name', () => {
    for (const [source, name] of [["{{ ''.__class__ }}", '__class__'], ['{{ message.constructor }}', 'constructor'], ["{{ message['__proto__'] }}", '__proto__'], ['{{ examples.prototype }}', 'prototype']]) {
      try {
        compileTemplate(source!, 'source');
        throw new Error(`accepted ${source}`);
      } catch (error) {
        expect(error).toBeInstanceOf(UserError);
        expect((error as UserError).code).toBe('template-internal');
        expect((error as UserError).message).toContain(`"${name}"`);
      }
    }
  });

  it('still renders ordinary templates, filters, loops and range', () => {
    expect(render('{% for i in range(3) %}{{ i }}{% endfor %} {{ message | upper }}{% if message %}!{% endif %}')).toMatchObject({ text: '012 HI!' });
    expect(render('{{ raise_exception("no") if not message else "ok" }}')).toMatchObject({ text: 'ok' });
  });
});
