// A promptfoo config (YAML, or JSON, which YAML reads too) planned as Dovetail objects, without touching the
// workspace: prompts -> templates (Nunjucks converted), tests' vars (defaultTest's merged under them) -> dataset rows,
// assertions -> metrics (promptfoo-asserts.ts). Every problem names its line in the config; the service imports
// nothing while there is one.
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { FieldRole, RowProblem } from '../../../shared/contract/datasets';
import type { ImportedMetric, ImportedTemplate, UnsupportedCheck } from '../../../shared/contract/imports';
import { MetricSpec, type MetricSpecInput } from '../../../shared/metrics';
import { mapAssert, type AssertSource } from './promptfoo-asserts';
import type { PickedJudge } from './judge-graders';
import { FIELD_NAME, convertNunjucks } from './nunjucks';

/** An experiment compares at most 16 specializations: one per prompt. */
const MAX_PROMPTS = 16;
const MAX_TESTS = 100_000;
/** Columns the import makes beside the vars. */
const KEY = 'test';
const EXPECTED = 'expected';
const DESCRIPTION = 'description';

export interface PromptfooPlan {
  readonly description: string | null;
  readonly templates: ImportedTemplate[];
  readonly columns: { name: string; role: FieldRole }[];
  readonly rows: Record<string, unknown>[];
  readonly metrics: ImportedMetric[];
  readonly unsupported: UnsupportedCheck[];
  readonly notes: string[];
  readonly problems: RowProblem[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function planPromptfoo(text: string, file: string, judge: PickedJudge | null = null): PromptfooPlan {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const problems: RowProblem[] = [];
  const problem = (line: number, reason: string, hint?: string) =>
    problems.push({ file, line, reason, ...(hint === undefined ? {} : { hint }) });
  const empty = (): PromptfooPlan => ({
    description: null,
    templates: [],
    columns: [],
    rows: [],
    metrics: [],
    unsupported: [],
    notes: [],
    problems,
  });
  for (const error of doc.errors) problem(error.linePos?.[0].line ?? 0, `is not valid YAML (${error.code})`);
  if (problems.length > 0) return empty();
  const config: unknown = doc.toJS({ maxAliasCount: 100 });
  if (!isObject(config)) {
    problem(0, 'is not a promptfoo config (a mapping with prompts and tests)');
    return empty();
  }
  const lineOf = (...path: (string | number)[]): number => lineAt(doc, lines, path);
  const unsupported: UnsupportedCheck[] = [];
  const notes: string[] = [];

  // Tests: defaultTest's vars under each test's own.
  const defaults = isObject(config.defaultTest) ? config.defaultTest : {};
  if (typeof config.defaultTest === 'string')
    problem(
      lineOf('defaultTest'),
      `takes defaultTest from ${config.defaultTest}, which is not read`,
      'Write defaultTest in the config.',
    );
  const defaultVars = isObject(defaults.vars) ? defaults.vars : {};
  if (!Array.isArray(config.tests)) {
    problem(
      lineOf('tests'),
      typeof config.tests === 'string'
        ? `takes its tests from ${config.tests}, which is not read`
        : 'has no list of tests',
      'List the tests in the config, or import a CSV or JSONL of them as a dataset (Datasets, Import).',
    );
    return empty();
  }
  if (config.tests.length > MAX_TESTS)
    problem(lineOf('tests'), `has more than ${MAX_TESTS.toLocaleString('en')} tests`);
  if (config.scenarios !== undefined) notes.push('scenarios are not imported (only tests and defaultTest are).');
  const tests = (config.tests as unknown[]).slice(0, MAX_TESTS);
  const varNames: string[] = [];
  const rows: Json[] = [];
  for (const [i, test] of tests.entries()) {
    if (!isObject(test)) {
      problem(lineOf('tests', i), `has tests[${i}], which is not a mapping of vars and assert`);
      continue;
    }
    const vars = { ...defaultVars, ...(isObject(test.vars) ? test.vars : {}) };
    for (const [name, value] of Object.entries(vars)) {
      if (!FIELD_NAME.test(name) || [KEY, EXPECTED, DESCRIPTION].includes(name)) {
        problem(
          lineOf('tests', i, 'vars'),
          `has the var "${name}" in tests[${i}], which cannot be a field name`,
          `Rename it: letters, digits and _ (not starting with a digit), and not ${KEY}, ${EXPECTED} or ${DESCRIPTION}.`,
        );
      } else if (typeof value === 'string' && value.startsWith('file://')) {
        problem(
          lineOf('tests', i, 'vars', name),
          `loads the var "${name}" of tests[${i}] from a file, which is not read`,
        );
      } else if (!varNames.includes(name)) varNames.push(name);
    }
    rows.push({
      [KEY]: `test-${i + 1}`,
      ...vars,
      ...(typeof test.description === 'string' ? { [DESCRIPTION]: test.description } : {}),
    });
  }
  if (tests.length === 0) problem(lineOf('tests'), 'has no tests');
  else if (varNames.length === 0)
    problem(lineOf('tests'), 'has tests without vars (a template needs at least one input)');

  // Assertions: defaultTest's apply to every test; a test's own to it.
  const metrics = new Map<string, ImportedMetric & { tests: number }>();
  const addMetric = (spec: MetricSpecInput, from: string, note: string | null) => {
    const key = JSON.stringify(MetricSpec.parse(spec));
    const seen = metrics.get(key);
    if (seen) seen.tests++;
    else metrics.set(key, { spec: MetricSpec.parse(spec), from, note, tests: 1 });
  };
  const asserts = (
    list: unknown,
    prefix: (string | number)[],
    everyTest: boolean,
  ): (AssertSource & { line: number })[] =>
    (Array.isArray(list) ? list : []).flatMap((a: unknown, j) => {
      const from = `${prefix
        .map((p) => (typeof p === 'number' ? `[${p}]` : p))
        .join('.')
        .replace('.[', '[')}.assert[${j}]`;
      if (!isObject(a) || typeof a.type !== 'string') {
        problem(lineOf(...prefix, 'assert', j), `has ${from} without a type`);
        return [];
      }
      return [
        {
          type: a.type,
          value: a.value,
          metric: typeof a.metric === 'string' ? a.metric : undefined,
          from,
          everyTest,
          line: lineOf(...prefix, 'assert', j),
        },
      ];
    });
  const everyTest = asserts(defaults.assert, ['defaultTest'], true);
  let referenceUsed = false;
  const missingExpected: number[] = [];
  for (const [i, test] of tests.entries()) {
    const row = rows[i];
    if (!isObject(test) || row === undefined) continue;
    const own = asserts(test.assert, ['tests', i], false);
    let expected: string | null = null;
    for (const a of [...own, ...everyTest]) {
      const mapped = mapAssert(a, judge);
      if (mapped.kind === 'unsupported') {
        if (!unsupported.some((u) => u.from === a.from))
          unsupported.push({ name: a.type, from: a.from, reason: mapped.reason });
        continue;
      }
      if (mapped.kind === 'fixed') {
        addMetric(mapped.spec, a.from, mapped.note);
        continue;
      }
      const value = 'literal' in mapped.expected ? mapped.expected.literal : textOf(row[mapped.expected.variable]);
      if (value === null) {
        problem(
          a.line,
          `has ${a.from} comparing with the var "${'variable' in mapped.expected ? mapped.expected.variable : ''}", which tests[${i}] does not give as text`,
        );
        continue;
      }
      if (expected !== null && expected !== value) {
        unsupported.push({
          name: a.type,
          from: `${a.from} (tests[${i}])`,
          reason: 'a second expected value for one test; every metric here compares with the one reference',
        });
        continue;
      }
      expected = value;
      referenceUsed = true;
      addMetric(mapped.spec, a.from, mapped.note);
    }
    if (expected !== null) row[EXPECTED] = expected;
    else missingExpected.push(i);
  }
  if (referenceUsed)
    for (const i of missingExpected)
      problem(
        lineOf('tests', i),
        `has tests[${i}] without an expected value, which the other tests' equals/contains checks compare with`,
        'Give it an equals or contains assertion, or move the check to defaultTest with value "{{ a var }}".',
      );

  // Prompts: one template each.
  const templates = readPrompts(config.prompts, new Set(varNames), lineOf, problem);

  const providers = Array.isArray(config.providers)
    ? config.providers
    : config.providers === undefined
      ? []
      : [config.providers];
  const providerNames = providers.map((p) =>
    typeof p === 'string' ? p : isObject(p) && typeof p.id === 'string' ? p.id : '?',
  );
  if (providerNames.length > 0)
    notes.push(`The providers (${providerNames.join(', ')}) are replaced by the local model you choose.`);
  if (rows.some((r) => Object.values(r).some(Array.isArray)))
    notes.push('A var holding a list is kept as a list (promptfoo would run one test per value).');
  const read = new Set(templates.flatMap((t) => t.fields));
  if (templates.length > 0 && read.size === 0)
    problem(lineOf('prompts'), 'has prompts that read no var (a row needs an input)');
  const counted = [...metrics.values()];
  for (const m of counted)
    if (m.tests < tests.length && m.from.startsWith('tests['))
      m.note = [m.note, `promptfoo checked it on ${m.tests} of ${tests.length} tests; here it scores every row`]
        .filter(Boolean)
        .join('; ');
  if (counted.length === 0 && problems.length === 0)
    notes.push(
      'No assertion maps to a metric here: the experiment measures output length so that it can run; add metrics in a new experiment.',
    );
  return {
    description: typeof config.description === 'string' ? config.description : null,
    templates,
    columns: [
      { name: KEY, role: 'key' },
      // A var no prompt reads (an assertion's expected value, say) is kept as data, not shown to the model.
      ...varNames.map((name) => ({ name, role: read.has(name) ? ('input' as const) : ('none' as const) })),
      ...(referenceUsed ? [{ name: EXPECTED, role: 'reference' as const }] : []),
      ...(rows.some((r) => DESCRIPTION in r) ? [{ name: DESCRIPTION, role: 'none' as const }] : []),
    ],
    rows,
    metrics: counted.map(({ spec, from, note }) => ({ spec, from, note })),
    unsupported,
    notes,
    problems,
  };
}

/** Each prompt as a template (text, {raw, label, id}, or a chat list), converted and checked against the vars. */
function readPrompts(
  value: unknown,
  columns: ReadonlySet<string>,
  lineOf: (...path: (string | number)[]) => number,
  problem: (line: number, reason: string, hint?: string) => void,
): ImportedTemplate[] {
  const templates: ImportedTemplate[] = [];
  const prompts = typeof value === 'string' ? [value] : Array.isArray(value) ? (value as unknown[]) : [];
  if (prompts.length === 0) problem(lineOf('prompts'), 'has no prompts');
  if (prompts.length > MAX_PROMPTS)
    problem(lineOf('prompts'), `has more than ${MAX_PROMPTS} prompts (an experiment compares at most ${MAX_PROMPTS})`);
  for (const [i, prompt] of prompts.slice(0, MAX_PROMPTS).entries()) {
    const raw =
      typeof prompt === 'string' ? prompt : isObject(prompt) && typeof prompt.raw === 'string' ? prompt.raw : null;
    const label =
      isObject(prompt) && typeof prompt.label === 'string'
        ? prompt.label
        : isObject(prompt) && typeof prompt.id === 'string'
          ? prompt.id
          : `Prompt ${i + 1}`;
    const line = lineOf('prompts', i);
    if (raw === null || raw.startsWith('file://')) {
      problem(
        line,
        `has prompts[${i}] ${raw === null ? 'without text' : `from ${raw}`}, which is not read`,
        'Paste the prompt into the config as text.',
      );
      continue;
    }
    const chat = chatPrompt(raw);
    if (typeof chat === 'string') {
      problem(line, `has prompts[${i}], a chat prompt that ${chat}`);
      continue;
    }
    const converted = convertNunjucks(chat?.user ?? raw, columns);
    if (!converted.ok) problem(line, `has prompts[${i}], which ${converted.reason}`);
    else
      templates.push({
        label: label.slice(0, 100),
        source: converted.source,
        system: chat?.system ?? null,
        chat: chat !== null,
        fields: converted.fields,
      });
  }
  return templates;
}

function textOf(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
}

/** A prompt written as a JSON list of chat messages: its system text and user template; null when it is plain text. */
function chatPrompt(raw: string): { system: string | null; user: string } | null | string {
  if (!raw.trimStart().startsWith('[')) return null;
  let messages: unknown;
  try {
    messages = JSON.parse(raw);
  } catch {
    return null; // plain text that starts with a bracket
  }
  if (!Array.isArray(messages)) return null;
  const list = messages.filter(isObject);
  const users = list.filter((m) => m.role === 'user');
  const systems = list.filter((m) => m.role === 'system');
  if (users.length !== 1 || list.length !== users.length + systems.length || systems.length > 1)
    return 'is not one optional system message and one user message (other turns are not imported)';
  const system = typeof systems[0]?.content === 'string' ? systems[0].content : null;
  if (system !== null && /\{\{|\{%/.test(system))
    return 'uses vars in its system message (a system text here is fixed)';
  const user = users[0]?.content;
  return typeof user === 'string' ? { system, user } : 'has a user message without text';
}

/** The 1-based line of the node at `path`, or of its nearest ancestor that has one. */
function lineAt(doc: Document, lines: LineCounter, path: (string | number)[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lines.linePos(node.range[0]).line;
  }
  return 1;
}
