// The architectures the engine runs, how config.json names them (architectures[] or model_type), and, for one it does
// not run, the closest one it does, so the refusal tells the user what would work instead. Pure.
export const SUPPORTED_ARCHITECTURES = [
  'LlamaForCausalLM',
  'Qwen2ForCausalLM',
  'MistralForCausalLM',
  'Qwen3ForCausalLM',
  'Phi3ForCausalLM',
  'Gemma2ForCausalLM',
  'Gemma3ForCausalLM',
] as const;
export type Architecture = (typeof SUPPORTED_ARCHITECTURES)[number];

export const ARCHITECTURE_NAMES = SUPPORTED_ARCHITECTURES.join(', ');

const MODEL_TYPES: Record<string, Architecture> = {
  llama: 'LlamaForCausalLM',
  qwen2: 'Qwen2ForCausalLM',
  mistral: 'MistralForCausalLM',
  qwen3: 'Qwen3ForCausalLM',
  phi3: 'Phi3ForCausalLM',
  gemma2: 'Gemma2ForCausalLM',
  gemma3_text: 'Gemma3ForCausalLM',
};

/** Families by name prefix (lower case, most specific first) -> the supported architecture nearest to them. */
const NEAREST: [prefix: string, nearest: Architecture][] = [
  ['gemma3', 'Gemma3ForCausalLM'],
  ['gemma', 'Gemma2ForCausalLM'],
  ['phi', 'Phi3ForCausalLM'],
  ['qwen3', 'Qwen3ForCausalLM'],
  ['qwen', 'Qwen2ForCausalLM'],
  ['mistral', 'MistralForCausalLM'],
  ['mixtral', 'MistralForCausalLM'],
  ['ministral', 'MistralForCausalLM'],
];

/** The supported architecture closest to an unsupported class name or model_type (Llama's layout by default). */
export function closestArchitecture(name: string): Architecture {
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return NEAREST.find(([prefix]) => key.startsWith(prefix))?.[1] ?? 'LlamaForCausalLM';
}

function refusalHint(name: string): string {
  const closest = closestArchitecture(name);
  const multimodal = /ForConditionalGeneration$/.test(name) ? ' (use the text-only checkpoint of the family)' : '';
  return `The closest architecture Dovetail runs is ${closest}${multimodal}; it runs ${ARCHITECTURE_NAMES} checkpoints.`;
}

/** The checkpoint's architecture, or `fail` naming the field, what it says and the closest supported one. */
export function detectArchitecture(
  json: Record<string, unknown>,
  fail: (field: string, message: string, hint: string) => never,
): Architecture {
  const architectures = json['architectures'];
  if (Array.isArray(architectures) && architectures.length > 0) {
    const found = architectures.find((a): a is Architecture => SUPPORTED_ARCHITECTURES.includes(a as Architecture));
    if (found) return found;
    const names = architectures.map(String);
    return fail('architectures', `${names.join(', ')} is not supported`, refusalHint(names[0] ?? ''));
  }
  const modelType = json['model_type'];
  if (typeof modelType === 'string') {
    const found = MODEL_TYPES[modelType];
    if (found) return found;
    return fail('model_type', `"${modelType}" is not supported`, refusalHint(modelType));
  }
  return fail(
    'architectures',
    'is missing (and so is model_type)',
    `config.json must name the architecture; Dovetail runs ${ARCHITECTURE_NAMES} checkpoints.`,
  );
}
