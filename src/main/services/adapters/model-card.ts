// The README.md model card of an exported adapter (Hugging Face's model-card layout: YAML metadata, then prose): the
// base model, the training data (dataset name, version and content hash), the template version and the settings.
import type { AdapterRecord } from '../../../shared/contract/adapters';
import type { Lineage } from '../../engine/train/lineage';

export interface CardFacts {
  readonly adapter: Pick<
    AdapterRecord,
    'name' | 'method' | 'source' | 'createdAt' | 'finalLoss' | 'finalValLoss' | 'check'
  >;
  /** What adapter_config.json names as base_model_name_or_path. */
  readonly baseModelPath: string;
  readonly baseModelName: string;
  readonly baseContentHash: string;
  readonly lineage: Lineage | null;
  /** The saved template version rendered into the training rows, when one was (name and version number). */
  readonly template: { name: string; version: number; contentHash: string } | null;
  readonly appVersion: string;
}

const METHOD_TEXT: Record<AdapterRecord['method'], string> = {
  lora: 'a LoRA adapter',
  'soft-prompt': 'a soft prompt (PEFT prompt tuning)',
  both: 'a LoRA adapter (folder root) with a soft prompt (PEFT prompt tuning, in prompt_tuning/)',
};

/** YAML scalars are written as JSON strings, which YAML reads back as the same text. */
const yaml = (value: string): string => JSON.stringify(value);

export function modelCard(f: CardFacts): string {
  const { adapter, lineage } = f;
  const hyper = lineage?.hyper_parameters ?? {};
  const lines = [
    '---',
    `base_model: ${yaml(f.baseModelPath)}`,
    'library_name: peft',
    'tags:',
    `  - ${adapter.method === 'soft-prompt' ? 'prompt-tuning' : 'lora'}`,
    '  - dovetail',
    '---',
    '',
    `# ${adapter.name}`,
    '',
    `${cap(METHOD_TEXT[adapter.method])}, ${adapter.source === 'trained' ? 'trained' : 'imported'} in Dovetail ${f.appVersion} (${adapter.createdAt}).`,
    '',
    '## Base model',
    '',
    `- Name: ${f.baseModelName}`,
    `- base_model_name_or_path: \`${f.baseModelPath}\``,
    `- Content hash (sha256 over every file, weights included): \`${f.baseContentHash}\``,
    '',
    '## Training data',
    '',
    ...(lineage?.dataset
      ? [`- Dataset: ${lineage.dataset.id}`, `- Content hash: \`${String(lineage.dataset.version)}\``]
      : ['- Not recorded (an adapter imported from a PEFT folder).']),
    '',
    '## Prompt template',
    '',
    ...templateLines(f),
    '',
    '## Training settings',
    '',
    ...(Object.keys(hyper).length === 0
      ? ['- Not recorded.']
      : Object.entries(hyper)
          .filter(([k]) => k !== 'prompt_template')
          .map(([k, v]) => `- ${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)),
    ...(lineage?.final_losses
      ? [
          '',
          `Final losses after step ${lineage.final_losses.step}: train ${num(lineage.final_losses.train)}, validation ${num(lineage.final_losses.validation)}.`,
        ]
      : []),
    '',
    '## Checks',
    '',
    `- Adapter-active check: ${adapter.check.active ? 'active' : 'inactive'} (max |Δlogit| ${adapter.check.maxAbsDelta.toExponential(2)}, next token changed at ${adapter.check.argmaxChanged} of ${adapter.check.positions} canary positions).`,
    '',
    '## Use with PEFT',
    '',
    '```python',
    'from peft import AutoPeftModelForCausalLM',
    'model = AutoPeftModelForCausalLM.from_pretrained("path/to/this/folder")',
    '```',
    '',
    'The base model is loaded from base_model_name_or_path; edit it in adapter_config.json if the model lives ' +
      'elsewhere.',
    'dovetail_adapter.json holds the same lineage for Dovetail (PEFT and vLLM ignore it).',
    '',
  ];
  return lines.join('\n');
}

function templateLines(f: CardFacts): string[] {
  const hyper = f.lineage?.hyper_parameters ?? {};
  const prompt = typeof hyper.prompt_template === 'string' ? hyper.prompt_template : null;
  const out: string[] = [];
  if (f.template)
    out.push(`- Template: ${f.template.name} v${f.template.version}`, `- Content hash: \`${f.template.contentHash}\``);
  else if (f.lineage?.template) out.push(`- Content hash: \`${String(f.lineage.template.version)}\``);
  else out.push('- Not recorded.');
  if (prompt !== null && f.template === null) out.push('', 'Prompt (Jinja):', '', '```jinja', prompt, '```');
  return out;
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function num(x: number | null): string {
  return x === null ? '–' : x.toFixed(4);
}
