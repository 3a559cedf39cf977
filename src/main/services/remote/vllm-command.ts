// The `vllm serve` command line that serves a release's LoRA as one `model` name of vLLM's OpenAI-compatible server
// (--enable-lora, --lora-modules name=path, --max-lora-rank): pure. vLLM serves LoRA only, so a release with a soft
// prompt is served as its LoRA-only variant, said in plain words, or not at all when it has no LoRA.
import { vllmModelName } from '../../../shared/remote-engine';
import { VLLM_MAX_LORA_RANKS } from '../../engine/train/vllm-check';

export interface VllmServeInput {
  releaseName: string;
  version: string;
  /** The base model's folder (what vLLM loads as the model). */
  modelFolder: string;
  lora: { folder: string; r: number; compatible: boolean; problems: readonly string[] } | null;
  softPrompt: boolean;
  port?: number;
}

export interface VllmServeCommand {
  /** null when nothing of the release can be served by vLLM. */
  command: string | null;
  /** The `model` name requests use for the LoRA (null: the base alone). */
  modelName: string | null;
  maxLoraRank: number | null;
  /** True when the command serves the LoRA only, leaving the release's soft prompt out. */
  loraOnly: boolean;
  notes: string[];
}

export function vllmServeCommand(r: VllmServeInput): VllmServeCommand {
  const notes: string[] = [];
  if (r.softPrompt)
    notes.push(
      r.lora
        ? 'vLLM cannot serve a soft prompt (prompt tuning): this command serves the LoRA-only variant of the release; ' +
            'evaluate that variant (the same specialization without its soft prompt) before trusting its results.'
        : 'vLLM cannot serve a soft prompt (prompt tuning), and this release has no LoRA: serve it with Dovetail ' +
            '(npm run cli -- serve) instead, or train a LoRA-only variant.',
    );
  if (!r.lora && !r.softPrompt)
    notes.push(
      `This release has no LoRA: vLLM serves its base model alone (vllm serve ${quote(r.modelFolder)}), and its ` +
        'template and demonstrations are applied by whoever sends the prompts (a remote experiment in Dovetail does).',
    );
  if (!r.lora) return { command: null, modelName: null, maxLoraRank: null, loraOnly: false, notes };
  if (!r.lora.compatible) notes.push(`vLLM may refuse this LoRA: ${r.lora.problems.join('; ')}`);
  const rank = VLLM_MAX_LORA_RANKS.find((x) => x >= r.lora!.r) ?? r.lora.r;
  const name = vllmModelName(r.releaseName, r.version);
  const command = [
    'vllm serve',
    quote(r.modelFolder),
    '--enable-lora',
    `--lora-modules ${quote(`${name}=${r.lora.folder}`)}`,
    `--max-lora-rank ${rank}`,
    '--max-loras 1',
    `--port ${r.port ?? 8000}`,
  ].join(' ');
  notes.push(
    `Requests name the model "${name}" (the base model alone is "${r.modelFolder}"). The adapter folder is the ` +
      "workspace's copy; on another machine, export the adapter (Adapters > Export) and give that folder instead.",
  );
  return { command, modelName: name, maxLoraRank: rank, loraOnly: r.softPrompt, notes };
}

/** POSIX shell quoting where a word needs it. */
function quote(word: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
