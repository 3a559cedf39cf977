// renderRows/renderRow: the one renderer of prompts (training, experiments, previews, checks), through the real render
// worker: fields by name, the reference kept out of the prompt (named when a template reads it), demonstrations as
// `examples`, the no-template form, unset names warned about, errors in plain words, runaway output cut.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/errors';
import { RenderHost } from '../../host/render-host';
import { renderWorkerScript } from '../../host/testing/engine-worker-script';
import {
  compile,
  compileTemplate,
  hashTemplate,
  MAX_RENDERED_CHARS,
  renderRow,
  renderRows,
  templateFields,
} from './render';

const roles = { input: ['message'], reference: 'output' };
const compiled = (source: string, chat = false) => compile({ source, system: chat ? 'Be brief.' : null, chat });
let host: RenderHost;
beforeAll(async () => {
  host = new RenderHost(await renderWorkerScript());
});
afterAll(() => host.dispose());

describe('renderRow', () => {
  it('fills fields by name and never shows the reference, saying so when the template reads it', async () => {
    const t = compiled('Message: {{ message }}\nAnswer: {{ output }}');
    const out = await renderRow(host, t, { message: 'hi', output: 'SECRET' }, roles, [], 'row 1');
    expect(out.text).toBe('Message: hi\nAnswer: ');
    expect(out.warnings).toEqual([
      '"output" (line 2, column 12) rendered as empty text: "output" is the reference (the expected answer), which never reaches a prompt',
    ]);
  });

  it('gives demonstrations to the template as examples, references included', async () => {
    const t = compiled('{% for ex in examples %}{{ ex.message }} => {{ ex.output }}\n{% endfor %}{{ message }} =>');
    const out = await renderRow(
      host,
      t,
      { message: 'c', output: 'z' },
      roles,
      [
        { message: 'a', output: 'x' },
        { message: 'b', output: 'y' },
      ],
      'row 1',
    );
    expect(out).toEqual({ text: 'a => x\nb => y\nc =>', system: null, chat: false, warnings: [] });
  });

  it('without a template: the input fields, after the demonstrations with their references', async () => {
    expect(await renderRow(host, null, { message: 'hello', output: 'x' }, roles, [], 'row 1')).toEqual({
      text: 'hello',
      system: null,
      chat: false,
      warnings: [],
    });
    expect((await renderRow(host, null, { message: 'c' }, roles, [{ message: 'a', output: 'x' }], 'row 1')).text).toBe(
      'a\nx\n\nc',
    );
  });

  it('carries the chat setting and system message of the template', async () => {
    expect(await renderRow(host, compiled('{{ message }}', true), { message: 'q' }, roles, [], 'row 1')).toEqual({
      text: 'q',
      system: 'Be brief.',
      chat: true,
      warnings: [],
    });
  });

  it('warns about a name the row does not set, with its line, and still renders', async () => {
    const out = await renderRow(
      host,
      compiled('Hi\n{{ mesage }}|{{ extra | default("-") }}|{% if tone is defined %}{{ tone }}{% endif %}'),
      { message: 'q' },
      roles,
      [],
      'row 1',
    );
    expect(out.text).toBe('Hi\n|-|');
    expect(out.warnings).toEqual(['"mesage" (line 2, column 4) is not set for this row, so it rendered as empty text']);
  });

  it('names the row when rendering fails, in plain words, and stops runaway output', async () => {
    const failing = compiled('{{ message.upper() }}');
    const error = await renderRow(host, failing, { message: 5 }, roles, [], 'row 7').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).where).toBe('row 7');
    expect((error as UserError).message).toMatch(
      /^Row 7: Something is called like a function, but it is a name that is not set$/,
    );
    // 1,000 characters per step, so the output cap is reached in a few hundred steps, long before the render clock.
    const huge = compiled(`{% for i in range(${MAX_RENDERED_CHARS / 1000 + 10}) %}${'x'.repeat(1000)}{% endfor %}`);
    await expect(renderRow(host, huge, { message: '' }, roles, [], 'row 1')).rejects.toThrow(
      /over the 200,000 allowed/,
    );
  });
});

describe('renderRows', () => {
  it('renders a batch in order with one outcome per row; stopOnError ends at the first failure', async () => {
    const t = compiled('{{ message | upper }}');
    const items = [{ message: 'a' }, { message: 5 }, { message: 'c' }].map((row, i) => ({
      row,
      examples: [],
      where: `row ${i + 1}`,
    }));
    const all = await renderRows(host, t, roles, items);
    expect(all.map((o) => (o.ok ? o.rendered.text : o.error.where))).toEqual(['A', 'row 2, template line 1', 'C']);
    expect(await renderRows(host, t, roles, items, { stopOnError: true })).toHaveLength(2);
  });
});

describe('compileTemplate and templateFields', () => {
  it('refuses a template that does not parse, in plain words with the line and column', () => {
    expect(() => compileTemplate('{{ message ', 'source')).toThrow(UserError);
    try {
      compileTemplate('x\n{% for x in examples %}', 'source');
      throw new Error('parsed');
    } catch (error) {
      expect((error as UserError).code).toBe('template-syntax');
      expect((error as UserError).message).toMatch(/\{% for %\} has no \{% endfor %\} \(line 2, column 1\)/);
      expect((error as UserError).where).toBe('source, template line 2');
    }
  });

  it('lists the fields a template reads, not loop variables, attributes or globals', () => {
    const t = compileTemplate(
      '{% set p = "x" %}{% for ex in examples %}{{ ex.message }}{{ loop.index }}{% endfor %}{{ message | upper }} {{ customer.name }} {{ range(2) }}{{ p }}',
    );
    expect(templateFields(t)).toEqual(['customer', 'examples', 'message']);
  });

  it('hashes source, system and chat', () => {
    const a = hashTemplate({ source: 'x', system: null, chat: false });
    expect(hashTemplate({ source: 'x', system: null, chat: true })).not.toBe(a);
    expect(hashTemplate({ source: 'x', system: null, chat: false })).toBe(a);
  });
});
