// Rendering dataset rows into the text a model is given, for training, experiments, previews and checks alike (one
// place, so what is trained is what is served). Templates are parsed here (parsing evaluates nothing) and rendered in
// batches by the render worker (host/render-host.ts) with the guarded interpreter's limits.
import { createHash } from 'node:crypto';
import { UserError } from '../../../shared/errors';
import { parseGuarded, RENDER_LIMITS, TemplateFailureError, type GuardedTemplate } from '../../engine/templates/parse';
import type { TemplateFailure } from '../../engine/templates/plain-errors';
import type { RenderBatch, RowResult } from '../../engine/templates/render-protocol';
export { templateFields } from '../../../shared/template-fields';

export const MAX_RENDERED_CHARS = RENDER_LIMITS.outputChars;
/** Rows per request to the render worker: one round trip per batch, while one message stays a few MB at most. */
export const RENDER_BATCH_ROWS = 1000;

/** What renders templates: the render host (host/render-host.ts; tests may give one with other limits). */
export interface TemplateRenderer {
  render(batch: RenderBatch, signal?: AbortSignal, onProgress?: (rowsDone: number) => void): Promise<RowResult[]>;
}

export interface TemplateLike {
  source: string;
  system: string | null;
  chat: boolean;
}

export interface CompiledTemplate {
  template: GuardedTemplate;
  like: TemplateLike;
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

/** A rendered row with what the author should know: names the template read that the row does not set. */
export interface RenderedRow extends RenderedText {
  warnings: string[];
}

export interface RowToRender {
  row: Record<string, unknown>;
  examples: readonly Record<string, unknown>[];
  /** Names the row in messages ("row 12"). */
  where: string;
}

/** A failed row carries its UserError ("Row 7: ...") and the plain reason alone (for lists that name the row). */
export type RowOutcome = { ok: true; rendered: RenderedRow } | { ok: false; error: UserError; reason: string };

/** Parses a template (no evaluation); a mistake is a UserError in plain words with line and column. */
export function compileTemplate(source: string, where = 'template'): GuardedTemplate {
  try {
    return parseGuarded(source);
  } catch (error) {
    if (error instanceof TemplateFailureError)
      throw failureError(
        error.failure,
        error.failure.code === 'template-syntax' ? 'The template cannot be parsed' : 'The template cannot be used',
        where,
      );
    throw error;
  }
}

export function compile(like: TemplateLike, where = 'template'): CompiledTemplate {
  return { template: compileTemplate(like.source, where), like };
}

export function hashTemplate(t: TemplateLike): string {
  return createHash('sha256')
    .update(JSON.stringify(['template/1', t.source, t.system, t.chat]))
    .digest('hex');
}

/**
 * Renders rows in order, one worker round trip per RENDER_BATCH_ROWS. With a template: Jinja over the row's fields,
 * the reference removed (the expected answer must never reach the prompt) and `examples` = the demonstration rows
 * (reference included). Without one (an ablation cell with the template off): the input fields' values, one per
 * line, after the demonstrations. A failing row is its outcome; with
 * `stopOnError` (or when a row hits a limit, which every later row would spend again) the outcomes end there.
 */
export async function renderRows(
  renderer: TemplateRenderer,
  compiled: CompiledTemplate | null,
  roles: RowRoles,
  items: readonly RowToRender[],
  options: { stopOnError?: boolean; signal?: AbortSignal } = {},
): Promise<RowOutcome[]> {
  if (compiled === null)
    return items.map((item) => ({ ok: true, rendered: { ...plainText(item, roles), warnings: [] } }));
  const hidden =
    roles.reference === null
      ? undefined
      : {
          [roles.reference]: `"${roles.reference}" is the reference (the expected answer), which never reaches a prompt`,
        };
  const outcomes: RowOutcome[] = [];
  for (let start = 0; start < items.length; start += RENDER_BATCH_ROWS) {
    const chunk = items.slice(start, start + RENDER_BATCH_ROWS);
    const rows = chunk.map((item) => {
      const context: Record<string, unknown> = { ...item.row, examples: item.examples.map((e) => ({ ...e })) };
      if (roles.reference !== null) context[roles.reference] = undefined;
      return context;
    });
    let results;
    try {
      results = await renderer.render(
        {
          source: compiled.like.source,
          rows,
          warnUndefined: true,
          ...(hidden ? { hidden } : {}),
          stopOnError: options.stopOnError ?? false,
        },
        options.signal,
      );
    } catch (error) {
      // The worker was stopped (or the template does not parse): the row it was on is named when known.
      if (error instanceof TemplateFailureError)
        throw failureError(
          error.failure,
          `${capital(chunk[0]?.where ?? 'the first row')}${chunk.length > 1 ? ` (or a later row of ${chunk.length})` : ''}`,
          chunk[0]?.where ?? 'template',
        );
      throw error;
    }
    for (const [i, result] of results.entries()) {
      const item = chunk[i]!;
      if (result.ok)
        outcomes.push({
          ok: true,
          rendered: {
            text: result.text,
            system: compiled.like.system,
            chat: compiled.like.chat,
            warnings: result.warnings.map((w) => w.message),
          },
        });
      else
        outcomes.push({
          ok: false,
          error: failureError(result.failure, capital(item.where), item.where),
          reason: result.failure.message,
        });
    }
    if (results.length < chunk.length) break;
  }
  return outcomes;
}

/** Renders one row; a failure is thrown as its UserError. */
export async function renderRow(
  renderer: TemplateRenderer,
  compiled: CompiledTemplate | null,
  row: Record<string, unknown>,
  roles: RowRoles,
  examples: readonly Record<string, unknown>[],
  where: string,
  signal?: AbortSignal,
): Promise<RenderedRow> {
  const [outcome] = await renderRows(renderer, compiled, roles, [{ row, examples, where }], signal ? { signal } : {});
  if (!outcome) throw new UserError(`Nothing was rendered for ${where}`, { code: 'template-render', where });
  if (!outcome.ok) throw outcome.error;
  return outcome.rendered;
}

/** The UserError of a template failure: "<what>: <plain message>" ("Row 7: There is no filter ..."), with the code and
 * hint the failure carries. */
export function failureError(failure: TemplateFailure, what: string, where: string): UserError {
  const place = failure.line === null ? where : `${where}, template line ${failure.line}`;
  return new UserError(`${what}: ${failure.message}`, { code: failure.code, where: place, hint: failure.hint });
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// Demonstrations without a template: each example's inputs then its reference, a blank line between.
function plainText(item: RowToRender, roles: RowRoles): RenderedText {
  const inputs = (r: Record<string, unknown>): string[] =>
    roles.input.map((f) => valueText(r[f])).filter((v) => v !== '');
  const shots = item.examples.map((e) =>
    [...inputs(e), ...(roles.reference === null ? [] : [valueText(e[roles.reference])])].join('\n'),
  );
  return { text: [...shots, inputs(item.row).join('\n')].join('\n\n'), system: null, chat: false };
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
