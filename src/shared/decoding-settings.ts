// Decoding settings (HF GenerationConfig names): the zod schema with defaults and messages a user can act on, the
// overrides a caller may give (no defaults filled), and a canonical serialization so a specialization can hash them.
// Shared: the contract validates settings with it and the engine generates with it.
import { z } from 'zod';
import { UserError } from './errors';

const UINT32_MAX = 0xffff_ffff;
const tokenId = z
  .number({ error: 'must be a token id (a whole number)' })
  .int({ error: 'must be a token id (a whole number)' })
  .min(0, { error: 'must be a token id (0 or more)' });

export const DecodingSettings = z.strictObject({
  /** false: greedy (argmax); true: sample from the processed distribution with the seeded PRNG. */
  do_sample: z.boolean({ error: 'must be true (sample) or false (greedy)' }).default(false),
  temperature: z
    .number({ error: 'must be a number' })
    .gt(0, { error: 'must be greater than 0 (for deterministic output set do_sample to false instead)' })
    .max(100, { error: 'must be at most 100' })
    .default(1),
  /** Keep the k most likely tokens; 0 turns top-k off. HF's default is 50. */
  top_k: z
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(0, { error: 'must be 0 (off) or more' })
    .default(50),
  /** Nucleus: keep the smallest set of most likely tokens whose probability adds up to top_p; 1 turns it off. */
  top_p: z
    .number({ error: 'must be a number' })
    .gt(0, { error: 'must be greater than 0 and at most 1 (1 turns top-p off)' })
    .max(1, { error: 'must be greater than 0 and at most 1 (1 turns top-p off)' })
    .default(1),
  /** Drop tokens less likely than min_p times the most likely one; absent turns it off. */
  min_p: z
    .number({ error: 'must be a number' })
    .min(0, { error: 'must be between 0 and 1' })
    .max(1, { error: 'must be between 0 and 1' })
    .optional(),
  /** HF RepetitionPenaltyLogitsProcessor: > 1 discourages tokens already in the prompt or output; 1 is off. */
  repetition_penalty: z
    .number({ error: 'must be a number' })
    .gt(0, { error: 'must be greater than 0 (1 is off, above 1 discourages repeats)' })
    .max(100, { error: 'must be at most 100' })
    .default(1),
  max_new_tokens: z
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(1_000_000, { error: 'must be at most 1000000' })
    .default(256),
  /** Generation ends when the decoded text contains one of these; the text returned stops before it. */
  stop_strings: z
    .array(z.string({ error: 'must be text' }).min(1, { error: 'must not be empty' }), {
      error: 'must be a list of strings',
    })
    .max(32, { error: 'at most 32 stop strings' })
    .default([]),
  /** PCG32 seed (uint32), recorded with every output so a sampled run can be replayed. */
  seed: z
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number from 0 to 4294967295' })
    .min(0, { error: 'must be a whole number from 0 to 4294967295' })
    .max(UINT32_MAX, { error: 'must be a whole number from 0 to 4294967295' })
    .default(0),
  /** Ids that end generation, replacing the model's own (generation_config.json / tokenizer eos). */
  eos_token_id: z
    .union([tokenId, z.array(tokenId).min(1, { error: 'must list at least one id' })], {
      error: 'must be a token id or a list of them',
    })
    .optional(),
  /** Keep generating through EOS until max_new_tokens or a stop string (vLLM's ignore_eos; for benchmarks). */
  ignore_eos: z.boolean({ error: 'must be true or false' }).default(false),
  /** Leave special tokens (e.g. <|im_end|>) out of the returned text, as HF pipelines do. */
  skip_special_tokens: z.boolean({ error: 'must be true or false' }).default(true),
});
/** Settings with every default filled in (what generation uses and what is hashed). */
export type DecodingSettings = z.output<typeof DecodingSettings>;
/** Settings as a user or a stored record gives them: any field may be left out. */
export type DecodingSettingsInput = z.input<typeof DecodingSettings>;

/**
 * Settings a caller overrides, every field optional and no default filled in, so that whoever resolves them (the
 * engine, from the model's generation_config.json) can tell "left out" from "set to the default".
 */
export const DecodingOverrides = z.strictObject(
  Object.fromEntries(
    Object.entries(DecodingSettings.shape).map(([key, schema]) => [
      key,
      (schema instanceof z.ZodDefault ? schema.unwrap() : schema).optional(),
    ]),
  ),
) as unknown as z.ZodType<Partial<DecodingSettings>, Partial<DecodingSettingsInput>>;
export type DecodingOverrides = Partial<DecodingSettings>;

const KNOWN = Object.keys(DecodingSettings.shape).join(', ');

/** Validates settings and fills defaults; a UserError names every bad field. */
export function parseDecodingSettings(input: unknown, where = 'decoding settings'): DecodingSettings {
  const parsed = DecodingSettings.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const lines = issues.slice(0, 5).map((issue) => {
    if (issue.code === 'unrecognized_keys')
      return `unknown setting ${issue.keys.map((k) => `"${k}"`).join(', ')} (known: ${KNOWN})`;
    const field = issue.path.map(String).join('.');
    return field === '' ? issue.message : `${field}: ${issue.message}`;
  });
  if (issues.length > 5) lines.push(`and ${issues.length - 5} more`);
  const firstIssue = issues[0];
  const first =
    firstIssue?.code === 'unrecognized_keys'
      ? (firstIssue.keys[0] ?? '')
      : (firstIssue?.path.map(String).join('.') ?? '');
  return fail(`Invalid decoding settings: ${lines.join('; ')}`, first === '' ? where : `${where}: ${first}`);
}

function fail(message: string, where: string): never {
  throw new UserError(message, {
    where,
    hint: 'Fix the named setting; leave a setting out to use its default.',
    code: 'decoding-settings',
  });
}

/**
 * One spelling per meaning, for content hashing: keys sorted, defaults written out (a hash pins every value used),
 * absent optionals left out, stop strings and eos ids sorted and deduplicated (they are sets).
 */
export function canonicalDecodingSettings(settings: DecodingSettingsInput | DecodingSettings): string {
  const s = parseDecodingSettings(settings);
  const eos =
    s.eos_token_id === undefined
      ? undefined
      : [...new Set(typeof s.eos_token_id === 'number' ? [s.eos_token_id] : s.eos_token_id)].sort((a, b) => a - b);
  const record: Record<string, unknown> = {
    ...s,
    stop_strings: [...new Set(s.stop_strings)].sort(),
    eos_token_id: eos,
  };
  const entries = Object.keys(record)
    .sort()
    .filter((key) => record[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${JSON.stringify(record[key])}`);
  return `{${entries.join(',')}}`;
}
