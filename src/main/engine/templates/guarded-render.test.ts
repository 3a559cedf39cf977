// The guarded interpreter (the only user of the Jinja interpreter): hostile templates are stopped by their limits
// with a plain message, ordinary templates render as before, unset names are warned about (not under `is defined` or
// `| default`), and internal attribute names are refused when parsing.
import { describe, expect, it } from 'vitest';
import { parseGuarded, RENDER_LIMITS, renderGuarded, TemplateFailureError } from './guarded-render';

const render = (source: string, context: Record<string, unknown> = { message: 'hi' }, warnUndefined = false) =>
  renderGuarded(parseGuarded(source), context, { warnUndefined });

function failure(source: string, context?: Record<string, unknown>, limits = {}) {
  try {
    renderGuarded(parseGuarded(source), context ?? { message: 'hi' }, { limits });
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateFailureError);
    return (error as TemplateFailureError).failure;
  }
  throw new Error(`not stopped: ${source}`);
}

describe('limits', () => {
  it('stops an endless loop by its step budget, or its clock on a slow machine', () => {
    const f = failure('{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}');
    expect(f.code).toBe('template-too-long');
    expect(f.message).toMatch(/stopped after (1,000,000 steps of work|running for 5 seconds)/);
  });

  it('stops by the clock when the step budget is larger than the time allows', () => {
    const f = failure('{% for i in range(1000000) %}{% for j in range(1000000) %}{% endfor %}{% endfor %}', undefined, {
      steps: Number.MAX_SAFE_INTEGER,
      timeMs: 200,
    });
    expect(f.message).toBe('The template was stopped after running for 0.2 seconds');
  });

  it('refuses lists longer than the cap, built by range() or by doubling', () => {
    expect(failure('{% for i in range(1000000000) %}x{% endfor %}').message).toMatch(
      /range\(\) of 1,000,000,000 numbers/,
    );
    const doubling = '{% set ns = namespace(a=[1]) %}{% for i in range(64) %}{% set ns.a = ns.a + ns.a %}{% endfor %}';
    expect(failure(doubling, {}, { steps: 1e12 }).message).toMatch(/A list of [\d,]+ items is over the 1,000,000/);
  });

  it('stops deep recursion through macros with a plain message', () => {
    const f = failure('{% macro f(g, n) %}{{ g(g, n + 1) }}{% endmacro %}{{ f(f, 0) }}');
    expect(f).toMatchObject({ code: 'template-too-long', message: expect.stringMatching(/nests too deeply/) });
  });

  it('stops giant output: a long loop, doubling text, a big value repeated', () => {
    expect(
      failure(`{% for i in range(${RENDER_LIMITS.outputChars}) %}xy{% endfor %}`, undefined, {
        steps: 1e9,
        timeMs: 1e9,
      }).message,
    ).toMatch(/over the 200,000 allowed/);
    expect(
      failure(
        '{% set ns = namespace(s="x") %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}',
      ).message,
    ).toMatch(/over the 200,000 allowed/);
    expect(
      failure('{% for i in range(1000) %}{{ message }}{% endfor %}', { message: 'x'.repeat(150_000) }).message,
    ).toMatch(/over the 200,000 allowed/);
  });

  it('turns syntax errors into plain messages with line and column', () => {
    expect(() => parseGuarded('ok\n{{ {"a": 1 }}')).toThrow('Expected "}}" here but found "}" (line 2, column 1)');
    expect(() => parseGuarded('{% for x in xs %}\n{{ x }}')).toThrow(
      '{% for %} has no {% endfor %} (line 1, column 1)',
    );
  });

  it('refuses attribute access to internals when parsing, with the name and place', () => {
    for (const [source, name] of [
      ["{{ ''.__class__ }}", '__class__'],
      ['{{ message.constructor }}', 'constructor'],
      ["{{ message['__proto__'] }}", '__proto__'],
      ['{{ examples.prototype }}', 'prototype'],
    ]) {
      try {
        parseGuarded(source!);
        throw new Error(`accepted ${source}`);
      } catch (error) {
        expect((error as TemplateFailureError).failure).toMatchObject({
          code: 'template-internal',
          line: 1,
          message: expect.stringContaining(`"${name}"`),
        });
      }
    }
  });
});

describe('ordinary templates', () => {
  it('render filters, loops, range and raise_exception as the library does', () => {
    expect(
      render('{% for i in range(3) %}{{ i }}{% endfor %} {{ message | upper }}{% if message %}!{% endif %}').text,
    ).toBe('012 HI!');
    expect(render('{{ raise_exception("no") if not message else "ok" }}').text).toBe('ok');
    expect(() => render('{{ raise_exception("stop here") }}')).toThrow('The template stopped itself: stop here');
  });

  it('warn once per unset name, with its line, and not for names tested or defaulted', () => {
    const out = render(
      '{{ a }}{{ a }}\n{{ b | default("x") }}{% if c is defined %}{{ c }}{% endif %}{{ d }}',
      { message: 'hi' },
      true,
    );
    expect(out.text).toBe('\nx');
    expect(out.warnings.map((w) => [w.name, w.line])).toEqual([
      ['a', 1],
      ['d', 2],
    ]);
    expect(render('{{ a }}', {}, false).warnings).toEqual([]);
  });
});
