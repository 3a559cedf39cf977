// Why an adapter folder would not load in vLLM, per vLLM's PEFTHelper (vllm/lora/peft_helper.py) and LoRA loader rules:
// required fields, bias, DoRA, modules_to_save, init, rank vs --max-lora-rank, tensor keys and dtypes; or "compatible".
import { join } from 'node:path';
import { LORA_MODULES } from '../../../shared/lora';
import { readSafetensorsHeader } from '../models';
import { fileExists, parseJson, readOptional } from './json-files';
import { ADAPTER_BIN_FILE, ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE } from './peft-names';

/** vLLM's default --max-lora-rank, and the values the flag accepts. */
export const VLLM_DEFAULT_MAX_LORA_RANK = 16;
export const VLLM_MAX_LORA_RANKS = [1, 8, 16, 32, 64, 128, 256, 320, 512] as const;
/** Projections vLLM adapts in Llama-family models (packed into qkv_proj and gate_up_proj there): the same seven. */
const VLLM_MODULES: readonly string[] = LORA_MODULES;
const VLLM_INITS = ['gaussian', 'eva', 'orthogonal', 'mica', 'lora_ga'];

export interface VllmProblem {
  rule:
    | 'peft-type'
    | 'required-field'
    | 'bias'
    | 'dora'
    | 'modules-to-save'
    | 'init'
    | 'feature'
    | 'rank'
    | 'weights-file'
    | 'module'
    | 'embedding'
    | 'dtype';
  message: string;
  /** The config field or tensor key at fault. */
  where?: string;
}

export interface VllmReport {
  compatible: boolean;
  problems: VllmProblem[];
}

export interface TensorHeader {
  name: string;
  dtype: string;
  shape: readonly number[];
}

/** Checks a parsed adapter_config.json and the tensor headers of its adapter_model.safetensors. */
export function checkVllmCompatibility(
  config: Record<string, unknown>,
  tensors: readonly TensorHeader[],
  maxLoraRank = VLLM_DEFAULT_MAX_LORA_RANK,
): VllmReport {
  const problems: VllmProblem[] = [];
  const add = (rule: VllmProblem['rule'], message: string, where?: string): void => {
    problems.push(where === undefined ? { rule, message } : { rule, message, where });
  };
  if (config.peft_type !== 'LORA') {
    add(
      'peft-type',
      `peft_type ${JSON.stringify(config.peft_type ?? null)}: vLLM serves LoRA adapters only (prompt adapters were removed in vLLM 0.10); pass a soft prompt through vLLM's prompt_embeds input (--enable-prompt-embeds) instead`,
      'peft_type',
    );
    return { compatible: false, problems };
  }
  for (const field of ['r', 'lora_alpha', 'target_modules']) {
    if (config[field] === undefined || config[field] === null)
      add('required-field', `${field} is required by vLLM's PEFTHelper`, field);
  }
  if ((config.bias ?? 'none') !== 'none')
    add('bias', `bias "${String(config.bias)}": vLLM requires bias "none"`, 'bias');
  if (config.use_dora === true) add('dora', 'use_dora: vLLM does not support DoRA', 'use_dora');
  if (config.lora_bias === true) add('bias', 'lora_bias: vLLM does not support LoRA biases', 'lora_bias');
  const saved = config.modules_to_save;
  if (Array.isArray(saved) && saved.some((m) => m !== 'classifier' && m !== 'score')) {
    add(
      'modules-to-save',
      `modules_to_save [${saved.join(', ')}]: vLLM allows only classifier / score heads`,
      'modules_to_save',
    );
  }
  const init = config.init_lora_weights;
  if (typeof init === 'string' && !VLLM_INITS.includes(init))
    add('init', `init_lora_weights "${init}" is rejected by vLLM`, 'init_lora_weights');
  for (const field of ['alora_invocation_tokens', 'layer_replication', 'use_bdlora', 'use_qalora']) {
    const v = config[field];
    if (v !== undefined && v !== null && v !== false)
      add('feature', `${field}: vLLM does not support this PEFT feature`, field);
  }
  const ranks = [config.r, ...Object.values((config.rank_pattern as Record<string, unknown> | null) ?? {})].filter(
    (r): r is number => typeof r === 'number',
  );
  const tensorRanks = tensors.filter((t) => t.name.endsWith('.lora_A.weight')).map((t) => t.shape[0] ?? 0);
  const rank = Math.max(0, ...ranks, ...tensorRanks);
  if (rank > maxLoraRank) {
    const flag = VLLM_MAX_LORA_RANKS.find((r) => r >= rank);
    add(
      'rank',
      `rank ${rank} exceeds the server's --max-lora-rank ${maxLoraRank}${flag ? `; start vLLM with --max-lora-rank ${flag}` : ` and vLLM's largest (${VLLM_MAX_LORA_RANKS.at(-1)})`}`,
      'r',
    );
  }
  for (const t of tensors) checkTensor(t, add);
  return { compatible: problems.length === 0, problems };
}

function checkTensor(t: TensorHeader, add: (rule: VllmProblem['rule'], message: string, where?: string) => void): void {
  if (!['F32', 'F16', 'BF16'].includes(t.dtype))
    add('dtype', `dtype ${t.dtype}: vLLM loads F32, F16 or BF16 LoRA weights`, t.name);
  if (
    /lora_embedding_[AB]|\.(embed_tokens|lm_head)\./.test(t.name) ||
    /\.(embed_tokens|lm_head)\.weight$/.test(t.name)
  ) {
    add(
      'embedding',
      'LoRA on or copies of embed_tokens / lm_head: current vLLM adapts only the decoder projections',
      t.name,
    );
    return;
  }
  if (t.name.endsWith('.lora_magnitude_vector'))
    return add('dora', 'DoRA magnitude vector: vLLM does not support DoRA', t.name);
  if (t.name.endsWith('.bias')) return add('bias', 'bias tensor: vLLM rejects adapters with biases', t.name);
  const m = /^base_model\.model\.(.+)\.lora_[AB]\.weight$/.exec(t.name);
  const module = m?.[1]?.split('.').at(-1);
  if (!m || !module || !VLLM_MODULES.includes(module))
    add('module', `not a LoRA weight of a module vLLM supports (${VLLM_MODULES.join(', ')})`, t.name);
}

/** Reads a folder's adapter_config.json and safetensors header and checks them (missing files are problems too). */
export async function checkVllmFolder(folder: string, maxLoraRank = VLLM_DEFAULT_MAX_LORA_RANK): Promise<VllmReport> {
  const configPath = join(folder, ADAPTER_CONFIG_FILE);
  const bytes = await readOptional(configPath);
  if (bytes === null)
    return {
      compatible: false,
      problems: [{ rule: 'required-field', message: `${ADAPTER_CONFIG_FILE} is missing`, where: configPath }],
    };
  const json = parseJson(bytes, configPath, 'adapter-config');
  const config =
    typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const weights = join(folder, ADAPTER_WEIGHTS_FILE);
  if (!(await fileExists(weights))) {
    const report = checkVllmCompatibility(config, [], maxLoraRank);
    if (!(await fileExists(join(folder, ADAPTER_BIN_FILE))))
      report.problems.push({
        rule: 'weights-file',
        message: `neither ${ADAPTER_WEIGHTS_FILE} nor ${ADAPTER_BIN_FILE} is present`,
        where: folder,
      });
    return { compatible: report.problems.length === 0, problems: report.problems };
  }
  return checkVllmCompatibility(config, (await readSafetensorsHeader(weights)).tensors, maxLoraRank);
}
