// The fields a Jinja template reads from its context, from @huggingface/jinja's parse tree (the parser the services
// render with): loop and `set` variables, attribute names, filters, tests and Jinja globals left out. Shared so the
// templates service (TemplateVersion.fields) and the Prompts screen (live, on an unsaved draft) agree.
import { parseTemplate } from './template-syntax';

export type ParsedFields =
  { readonly ok: true; readonly fields: string[] } | { readonly ok: false; readonly message: string };

const GLOBALS = ['loop', 'range', 'namespace', 'raise_exception', 'true', 'false', 'none', 'True', 'False', 'None'];

/** The fields of a template's source, or the parser's message when it does not parse. */
export function readFields(source: string): ParsedFields {
  let template: { parsed: unknown };
  try {
    template = { parsed: parseTemplate(source) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  return { ok: true, fields: templateFields(template) };
}

/** The names a parsed template reads from its context, sorted. */
export function templateFields(template: { readonly parsed: unknown }): string[] {
  const parsed = template.parsed;
  const used = new Set<string>();
  const bound = new Set<string>(GLOBALS);
  const bind = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as { type?: string; value?: unknown };
    if (n.type === 'Identifier' && typeof n.value === 'string') bound.add(n.value);
    else if (Array.isArray(n.value)) n.value.forEach(bind);
  };
  const walk = (
    node: unknown,
    parentKey: string | null,
    parent: { type?: string; computed?: boolean } | null,
  ): void => {
    if (Array.isArray(node)) return node.forEach((c) => walk(c, parentKey, parent));
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown> & { type?: string };
    if (n.type === 'For') bind(n.loopvar);
    if (n.type === 'Set') bind(n.assignee);
    if (n.type === 'Macro') {
      bind(n.name);
      (n.args as unknown[] | undefined)?.forEach(bind);
    }
    const isProperty = parent?.type === 'MemberExpression' && parentKey === 'property' && parent.computed !== true;
    // `x | upper`, `x | default('a')` and `x is defined` name a filter or test, not a field.
    const isFilterOrTest =
      (parent?.type === 'FilterExpression' && parentKey === 'filter') ||
      (parent?.type === 'TestExpression' && parentKey === 'test');
    if (n.type === 'CallExpression' && parent?.type === 'FilterExpression' && parentKey === 'filter') {
      (n.args as unknown[] | undefined)?.forEach((a) => walk(a, 'args', n));
      return;
    }
    if (n.type === 'Identifier' && typeof n.value === 'string' && !isProperty && !isFilterOrTest) used.add(n.value);
    for (const [key, child] of Object.entries(n))
      if (key !== 'type' && child && typeof child === 'object') walk(child, key, n);
  };
  walk(parsed, null, null);
  return [...used].filter((name) => !bound.has(name)).sort();
}
