// The RoPE part of config.json: rope_theta and rope_scaling (transformers 4) or rope_parameters (transformers 5, flat
// or per layer type as Gemma 3 writes it) -> base and scaling per attention kind. Scalings supported: llama3 (Llama
// 3.1/3.2), longrope (Phi-3/3.5, also spelled "su"), linear (Gemma 3 4B and up). Pure; config.ts calls it.
import { z } from 'zod';
import { describeIssues, firstIssuePath } from './files';

/** rope_type "llama3": long wavelengths divided by factor, a smooth band between low and high frequencies. */
export interface Llama3RopeScaling {
  rope_type: 'llama3';
  factor: number;
  low_freq_factor: number;
  high_freq_factor: number;
  original_max_position_embeddings: number;
}

/** rope_type "linear": every inverse frequency divided by factor. */
export interface LinearRopeScaling {
  rope_type: 'linear';
  factor: number;
}

/**
 * rope_type "longrope": inv_freq divided per dimension by short_factor, or by long_factor once a sequence reaches past
 * original_max_position_embeddings (transformers picks by max(position_ids) + 1); cos and sin times attention_factor.
 */
export interface LongRopeScaling {
  rope_type: 'longrope';
  short_factor: number[]; // [D/2]
  long_factor: number[]; // [D/2]
  original_max_position_embeddings: number;
  attention_factor: number;
  /** max_position_embeddings / original_max_position_embeddings unless given. */
  factor: number;
}

export type RopeScaling = Llama3RopeScaling | LinearRopeScaling | LongRopeScaling;

/** The RoPE of one attention kind. */
export interface RopeParameters {
  rope_theta: number;
  rope_scaling: RopeScaling | null;
}

export type Fail = (field: string, message: string, hint: string) => never;

/** What parseRope reads of the raw config. */
export interface RawRope {
  rope_theta?: number | null;
  rope_scaling?: Record<string, unknown> | null;
  rope_parameters?: Record<string, unknown> | null;
  rope_local_base_freq?: number | null;
  original_max_position_embeddings?: number | null;
  max_position_embeddings: number;
}

const positive = z.number().positive();
const positiveInt = z.number().int().positive();
const Llama3Fields = z.object({
  factor: positive,
  low_freq_factor: positive,
  high_freq_factor: positive,
  original_max_position_embeddings: positiveInt,
});
const LinearFields = z.object({ factor: positive });
const LongRopeFields = z.object({
  short_factor: z.array(positive),
  long_factor: z.array(positive),
  original_max_position_embeddings: positiveInt,
  factor: positive.nullish(),
  attention_factor: positive.nullish(),
});

const HINT = 'Check the RoPE settings against the original checkpoint.';

/**
 * Base and scaling for full-attention layers, and for sliding-window layers when they differ (Gemma 3's local base,
 * rope_local_base_freq, or a per-layer-type rope_parameters). `defaultTheta` is the architecture's default base;
 * `localTheta` its default for sliding layers when they have their own RoPE (null: the same RoPE for every layer).
 */
export function parseRope(
  raw: RawRope,
  headDim: number,
  defaults: { theta: number; localTheta: number | null; originalMax: number | null },
  fail: Fail,
): { full: RopeParameters; sliding: RopeParameters | null } {
  const params = raw.rope_parameters ?? null;
  const perType = params !== null && ('full_attention' in params || 'sliding_attention' in params);
  if (perType) {
    const section = (kind: 'full_attention' | 'sliding_attention', theta: number): RopeParameters => {
      const value = params[kind];
      if (value == null) return { rope_theta: theta, rope_scaling: null };
      if (typeof value !== 'object' || Array.isArray(value))
        return fail(`rope_parameters.${kind}`, 'expected an object', HINT);
      return parseOne(value as Record<string, unknown>, `rope_parameters.${kind}`, raw, headDim, theta, defaults, fail);
    };
    const full = section('full_attention', defaults.theta);
    const sliding = section('sliding_attention', defaults.localTheta ?? defaults.theta);
    return { full, sliding: defaults.localTheta === null ? null : sliding };
  }
  // transformers 4: rope_theta and rope_scaling; transformers 5: one flat rope_parameters.
  const field = raw.rope_scaling != null ? 'rope_scaling' : 'rope_parameters';
  const scaling = raw.rope_scaling ?? params ?? {};
  const theta = (params?.['rope_theta'] as number | undefined) ?? raw.rope_theta ?? defaults.theta;
  const full = parseOne(scaling, field, raw, headDim, theta, defaults, fail);
  if (defaults.localTheta === null) return { full, sliding: null };
  // Gemma 3 (transformers 4): rope_scaling applies to the global layers only; the local ones use rope_local_base_freq.
  return { full, sliding: { rope_theta: raw.rope_local_base_freq ?? defaults.localTheta, rope_scaling: null } };
}

function parseOne(
  section: Record<string, unknown>,
  field: string,
  raw: RawRope,
  headDim: number,
  defaultTheta: number,
  defaults: { originalMax: number | null },
  fail: Fail,
): RopeParameters {
  const theta = section['rope_theta'] ?? defaultTheta;
  if (typeof theta !== 'number' || !(theta > 0)) fail(`${field}.rope_theta`, 'expected a positive number', HINT);
  const rope_theta = theta as number;
  const type = section['rope_type'] ?? section['type'];
  if (type === 'default' || (type === undefined && (field !== 'rope_scaling' || Object.keys(section).length === 0)))
    return { rope_theta, rope_scaling: null };
  const parse = <T extends z.ZodType>(schema: T, value: unknown): z.infer<T> => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) fail(`${field}.${firstIssuePath(parsed.error)}`, describeIssues(parsed.error), HINT);
    return parsed.data as z.infer<T>;
  };
  if (type === 'llama3') {
    const f = parse(Llama3Fields, section);
    if (f.high_freq_factor <= f.low_freq_factor) {
      fail(
        `${field}.high_freq_factor`,
        `${f.high_freq_factor} must be greater than low_freq_factor (${f.low_freq_factor})`,
        HINT,
      );
    }
    return { rope_theta, rope_scaling: { rope_type: 'llama3', ...f } };
  }
  if (type === 'linear') return { rope_theta, rope_scaling: { rope_type: 'linear', ...parse(LinearFields, section) } };
  if (type === 'longrope' || type === 'su') {
    const originalMax = section['original_max_position_embeddings'] ?? raw.original_max_position_embeddings;
    const f = parse(LongRopeFields, {
      ...section,
      original_max_position_embeddings: originalMax ?? defaults.originalMax,
    });
    for (const name of ['short_factor', 'long_factor'] as const) {
      if (f[name].length !== headDim / 2)
        fail(`${field}.${name}`, `has ${f[name].length} entries, head_dim ${headDim} needs ${headDim / 2}`, HINT);
    }
    // transformers: factor = max_position_embeddings / original_max_position_embeddings unless given, and
    // attention_factor = sqrt(1 + ln(factor) / ln(original)) for factor > 1.
    const factor = f.factor ?? raw.max_position_embeddings / f.original_max_position_embeddings;
    const attention =
      f.attention_factor ??
      (factor <= 1 ? 1 : Math.sqrt(1 + Math.log(factor) / Math.log(f.original_max_position_embeddings)));
    return {
      rope_theta,
      rope_scaling: {
        rope_type: 'longrope',
        short_factor: f.short_factor,
        long_factor: f.long_factor,
        original_max_position_embeddings: f.original_max_position_embeddings,
        attention_factor: attention,
        factor,
      },
    };
  }
  const name = type === undefined ? 'no rope_type' : `rope_type "${String(type)}"`;
  return fail(
    `${field}.rope_type`,
    `${name} is not supported`,
    'Dovetail supports default RoPE and the "llama3", "linear" and "longrope" scalings.',
  );
}
