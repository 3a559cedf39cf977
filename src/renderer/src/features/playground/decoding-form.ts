// The Playground's decoding settings as a form: text fields for the numbers, one stop string per line, a blank seed
// meaning "draw one". Converts to the contract's DecodingOverrides, with each bad value reported at its field.
import { DecodingOverrides, type DecodingSettings } from '../../../../shared/contract';

export interface DecodingForm {
  /** false: greedy (the Playground's default); true: sample with temperature, top-k and top-p. */
  readonly do_sample: boolean;
  readonly temperature: string;
  readonly top_k: string;
  readonly top_p: string;
  readonly repetition_penalty: string;
  readonly max_new_tokens: string;
  /** One stop string per line. */
  readonly stop_strings: string;
  /** '' = a new random seed each run. */
  readonly seed: string;
  readonly ignore_eos: boolean;
}

export type DecodingField = keyof DecodingForm;
export type FieldErrors = Partial<Record<DecodingField, string>>;

const SAMPLING_ONLY = new Set<DecodingField>(['temperature', 'top_k', 'top_p']);
const NUMBERS = ['temperature', 'top_k', 'top_p', 'repetition_penalty', 'max_new_tokens'] as const;

/** The form for a model's defaults (its generation_config.json); greedy either way, the sampling values kept ready. */
export function formFromDefaults(settings: DecodingSettings): DecodingForm {
  return {
    do_sample: false,
    temperature: String(settings.temperature),
    top_k: String(settings.top_k),
    top_p: String(settings.top_p),
    repetition_penalty: String(settings.repetition_penalty),
    max_new_tokens: String(settings.max_new_tokens),
    stop_strings: settings.stop_strings.join('\n'),
    seed: '',
    ignore_eos: settings.ignore_eos,
  };
}

/** The form for a model's defaults with saved or a specialization's overrides on top (greedy unless they sample). */
export function formFromOverrides(defaults: DecodingSettings, overrides: DecodingOverrides): DecodingForm {
  const merged = formFromDefaults({ ...defaults, ...overrides });
  return {
    ...merged,
    do_sample: overrides.do_sample ?? false,
    seed: overrides.seed === undefined ? '' : String(overrides.seed),
  };
}

/** The overrides to send, or the fields at fault. Sampling values are neither checked nor sent while greedy. */
export function overridesFromForm(form: DecodingForm): { settings: DecodingOverrides } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const raw: Record<string, unknown> = { do_sample: form.do_sample, ignore_eos: form.ignore_eos };
  for (const field of NUMBERS) {
    if (!form.do_sample && SAMPLING_ONLY.has(field)) continue;
    const text = form[field].trim();
    if (text === '') errors[field] = 'Enter a number';
    else if (!Number.isFinite(Number(text))) errors[field] = 'must be a number';
    else raw[field] = Number(text);
  }
  const seed = form.seed.trim();
  if (seed !== '') {
    if (/^\d+$/.test(seed)) raw.seed = Number(seed);
    else errors.seed = 'must be a whole number from 0 to 4294967295, or blank for a random one';
  }
  raw.stop_strings = form.stop_strings.split('\n').filter((line) => line !== '');
  const parsed = DecodingOverrides.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (typeof field === 'string' && field in form) errors[field as DecodingField] ??= issue.message;
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { errors };
  return { settings: parsed.data };
}

/** One line on what the settings do, for the collapsed panel: "Greedy · up to 256 new tokens". */
export function summary(form: DecodingForm): string {
  const how = form.do_sample
    ? `Sampling (temperature ${form.temperature}, top-k ${form.top_k}, top-p ${form.top_p})`
    : 'Greedy';
  const parts = [how, `up to ${form.max_new_tokens} new tokens`];
  if (form.repetition_penalty.trim() !== '1') parts.push(`repetition penalty ${form.repetition_penalty}`);
  const stops = form.stop_strings.split('\n').filter((s) => s !== '').length;
  if (stops > 0) parts.push(`${stops} stop string${stops === 1 ? '' : 's'}`);
  if (form.seed.trim() !== '') parts.push(`seed ${form.seed.trim()}`);
  if (form.ignore_eos) parts.push('ignoring end of text');
  return parts.join(' · ');
}

/** The form field a server-side validation error names ("generation.start: settings.top_p" -> "top_p"). */
export function fieldOfServerError(where: string | undefined): DecodingField | undefined {
  const match = /^generation\.start: settings\.(\w+)/.exec(where ?? '');
  const field = match?.[1];
  return field !== undefined && field in EMPTY_FORM ? (field as DecodingField) : undefined;
}

const EMPTY_FORM: DecodingForm = {
  do_sample: false,
  temperature: '',
  top_k: '',
  top_p: '',
  repetition_penalty: '',
  max_new_tokens: '',
  stop_strings: '',
  seed: '',
  ignore_eos: false,
};
