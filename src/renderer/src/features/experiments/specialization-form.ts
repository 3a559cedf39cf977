// The "New specialization" form (pure): parts and decoding as the dialog holds them, which adapters fit which part,
// and the conversion to the contract's CreateSpecialization (greedy unless sampling is on; blank = model default).
import {
  DecodingOverrides,
  type AdapterRecord,
  type DecodingSettingsInput,
  type SpecializationParts,
} from '../../../../shared/contract';

export interface SpecializationForm {
  readonly name: string;
  readonly modelId: string;
  /** '' = none. */
  readonly loraAdapterId: string;
  readonly softPromptAdapterId: string;
  readonly templateId: string;
  readonly templateVersionId: string;
  readonly demonstrationSetVersionId: string;
  readonly doSample: boolean;
  /** '' = the model's default. */
  readonly maxNewTokens: string;
  readonly temperature: string;
  readonly topP: string;
  readonly seed: string;
  /** One per line. */
  readonly stopStrings: string;
}

export type SpecField =
  | 'name'
  | 'modelId'
  | 'loraAdapterId'
  | 'softPromptAdapterId'
  | 'templateVersionId'
  | 'demonstrationSetVersionId'
  | 'maxNewTokens'
  | 'temperature'
  | 'topP'
  | 'seed'
  | 'stopStrings';
export type SpecErrors = Partial<Record<SpecField, string>>;

export function emptySpecializationForm(modelId: string): SpecializationForm {
  return {
    name: '',
    modelId,
    loraAdapterId: '',
    softPromptAdapterId: '',
    templateId: '',
    templateVersionId: '',
    demonstrationSetVersionId: '',
    doSample: false,
    maxNewTokens: '',
    temperature: '0.7',
    topP: '0.95',
    seed: '0',
    stopStrings: '',
  };
}

/** Adapters of this model that give a LoRA part (lora, both) or a soft-prompt part (soft-prompt, both). */
export function adaptersFor(
  adapters: readonly AdapterRecord[],
  modelId: string,
  part: 'lora' | 'softPrompt',
): AdapterRecord[] {
  return adapters.filter(
    (a) => a.modelId === modelId && (part === 'lora' ? a.method !== 'soft-prompt' : a.method !== 'lora'),
  );
}

const DECODING_FIELD: Record<string, SpecField> = {
  max_new_tokens: 'maxNewTokens',
  temperature: 'temperature',
  top_p: 'topP',
  seed: 'seed',
  stop_strings: 'stopStrings',
};

export function decodingOf(f: SpecializationForm): { decoding: DecodingOverrides } | { errors: SpecErrors } {
  const errors: SpecErrors = {};
  const raw: DecodingSettingsInput = { do_sample: f.doSample };
  const num = (text: string, field: SpecField, key: 'max_new_tokens' | 'temperature' | 'top_p' | 'seed') => {
    const t = text.trim();
    if (t === '') return;
    const x = Number(t);
    if (!Number.isFinite(x)) errors[field] = 'must be a number';
    else raw[key] = x;
  };
  num(f.maxNewTokens, 'maxNewTokens', 'max_new_tokens');
  if (f.doSample) {
    num(f.temperature, 'temperature', 'temperature');
    num(f.topP, 'topP', 'top_p');
    num(f.seed, 'seed', 'seed');
  }
  const stops = f.stopStrings
    .split('\n')
    .map((s) => s.replace(/\\n/g, '\n'))
    .filter((s) => s !== '');
  if (stops.length > 0) raw.stop_strings = stops;
  const parsed = DecodingOverrides.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = DECODING_FIELD[String(issue.path[0])];
      if (field) errors[field] ??= issue.message;
    }
    if (Object.keys(errors).length === 0) errors.maxNewTokens = parsed.error.issues[0]?.message ?? 'Not valid';
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { errors };
  return { decoding: parsed.data };
}

export function toCreateSpecialization(
  f: SpecializationForm,
): { arg: SpecializationParts & { name: string } } | { errors: SpecErrors } {
  const errors: SpecErrors = {};
  if (f.name.trim() === '') errors.name = 'A name is required';
  if (f.modelId === '') errors.modelId = 'Choose a base model';
  const decoding = decodingOf(f);
  if ('errors' in decoding) Object.assign(errors, decoding.errors);
  if (Object.keys(errors).length > 0 || 'errors' in decoding) return { errors };
  const orNull = (s: string): string | null => (s === '' ? null : s);
  return {
    arg: {
      name: f.name.trim(),
      modelId: f.modelId,
      loraAdapterId: orNull(f.loraAdapterId),
      softPromptAdapterId: orNull(f.softPromptAdapterId),
      templateVersionId: orNull(f.templateVersionId),
      demonstrationSetVersionId: orNull(f.demonstrationSetVersionId),
      decoding: decoding.decoding,
    },
  };
}

/** The form field a server error's `where` ("loraAdapterId", "specializations.create: decoding.top_p") names. */
export function specFieldOfWhere(where: string | undefined): SpecField | undefined {
  if (where === undefined) return undefined;
  const path = where.replace(/^specializations\.create: /, '').split('.');
  if (path[0] === 'decoding') return DECODING_FIELD[path[1] ?? ''];
  const known: SpecField[] = [
    'name',
    'modelId',
    'loraAdapterId',
    'softPromptAdapterId',
    'templateVersionId',
    'demonstrationSetVersionId',
  ];
  return known.find((k) => k === path[0]);
}

/** A one-line summary of decoding overrides: "greedy · 64 new tokens · 1 stop string". */
export function decodingSummary(
  d: Partial<{
    do_sample: boolean;
    max_new_tokens: number;
    temperature: number;
    top_p: number;
    seed: number;
    stop_strings: string[];
  }>,
): string {
  const parts = [
    d.do_sample ? `sampling (T ${d.temperature ?? 1}, top-p ${d.top_p ?? 1}, seed ${d.seed ?? 0})` : 'greedy',
  ];
  parts.push(d.max_new_tokens === undefined ? 'default length' : `${d.max_new_tokens} new tokens`);
  const stops = d.stop_strings?.length ?? 0;
  if (stops > 0) parts.push(`${stops} stop string${stops === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

/**
 * Choosing an adapter fills an empty template with the one it was trained with (the prompt it was trained on is the
 * one it works with), and an empty soft prompt with the same adapter when it has both parts.
 */
export function withAdapterDefaults(
  f: SpecializationForm,
  adapter: Pick<AdapterRecord, 'id' | 'method'>,
  trainedWith: { templateId: string; templateVersionId: string } | null,
): SpecializationForm {
  const template =
    f.templateVersionId === '' && trainedWith
      ? trainedWith
      : { templateId: f.templateId, templateVersionId: f.templateVersionId };
  const soft =
    f.softPromptAdapterId === '' && adapter.method === 'both' && f.loraAdapterId === adapter.id
      ? adapter.id
      : f.softPromptAdapterId;
  return { ...f, ...template, softPromptAdapterId: soft };
}
