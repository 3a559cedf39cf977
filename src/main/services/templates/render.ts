// Rendering a dataset row into the text a model is given, for training, experiments and previews alike (one place,
// so what is trained is what is served). With a template: Jinja over the row's fields, the reference removed (the
// expected answer must never reach the prompt) and `examples` = the demonstration rows (reference included). Without
// one (an ablation cell with the template off): the input fields' values, one per line, after the demonstrations.
// Rendering is guarded (guarded-render.ts): a step budget, a range() cap and an output cap stop hostile templates
// synchronously, so training, experiments and previews share one safe renderer; internal attributes are refused.
import type { Template } from '@huggingface/jinja';
import { createHash } from 'node:crypto';
import { UserError } from '../../../shared/errors';
import { guardedParse, guardedRender, MAX_RENDERED_CHARS, RenderLimitError } from './guarded-render';
export { MAX_RENDERED_CHARS };
export { templateFields } from '../../../shared/template-fields';


export interface TemplateLike {
  source: string;
  system: string | null;
  chat: boolean;
}

export interface RowRoles {
  input: readonly string[];
  reference: string | null;
}

export interface RenderedText {
  text: string;
  system: string | null;
  chat: boolean;
}

export function compileTemplate(source: string, where = 'template'): Template {
  try {
    return guardedParse(source);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`The template cannot be parsed: ${error instanceof Error ? error.message : String(error)}`, {
      code: 'template-syntax', where, hint: 'Check that every {{ has its }} and every {% for %} / {% if %} its {% endfor %} / {% endif %}.',
    });
  }
}

export function hashTemplate(t: TemplateLike): string {
  return createHash('sha256').update(JSON.stringify(['template/1', t.source, t.system, t.chat])).digest('hex');
}

/** Renders one row; `examples` are the demonstration rows (already resolved by the caller). */
export function renderRow(
  compiled: { template: Template; like: TemplateLike } | null,
  row: Record<string, unknown>,
  roles: RowRoles,
  examples: readonly Record<string, unknown>[],
  where: string,
): RenderedText {
  if (compiled === null) {
    // Demonstrations without a template: each example's inputs then its reference, a blank line between.
    const inputs = (r: Record<string, unknown>): string[] => roles.input.map((f) => valueText(r[f])).filter((v) => v !== '');
    const shots = examples.map((e) => [...inputs(e), ...(roles.reference === null ? [] : [valueText(e[roles.reference])])].join('\n'));
    return { text: [...shots, inputs(row).join('\n')].join('\n\n'), system: null, chat: false };
  }
  const context: Record<string, unknown> = { ...row, examples: examples.map((e) => ({ ...e })) };
  if (roles.reference !== null) context[roles.reference] = undefined;
  let text: string;
  try {
    text = guardedRender(compiled.template, context);
  } catch (error) {
    if (error instanceof RenderLimitError) {
      throw new UserError(`The template was stopped on ${where}: ${error.message}`, { code: error.code, where, hint: error.hint });
    }
    throw new UserError(`The template failed on ${where}: ${error instanceof Error ? error.message : String(error)}`, {
      code: 'template-render', where, hint: 'Check the field names the template uses against the dataset.',
    });
  }
  if (text.length > MAX_RENDERED_CHARS) {
    throw new UserError(`The template rendered ${text.length.toLocaleString('en')} characters for ${where}, over the ${MAX_RENDERED_CHARS.toLocaleString('en')} allowed`, {
      code: 'template-too-long', where, hint: 'Look for a loop that repeats without bound.',
    });
  }
  return { text, system: compiled.like.system, chat: compiled.like.chat };
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
