// Dovetail's side of check_peft_export.py: the logits of one prompt with an exported adapter folder's root adapter
// (the one AutoPeftModelForCausalLM loads: the LoRA, or the soft prompt when it is alone; --soft-prompt: the soft
// prompt saved beside a LoRA in prompt_tuning/) and without it, through the app's own engine (readAdapterFolder +
// ModelRunner), written as JSON next to the token ids used.
//   node bench/run.mjs tools/reference/dovetail_export_logits.ts <export folder> <out.json> ["prompt"] [--soft-prompt]
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCheckpoint, ModelRunner, loraModules } from '../../src/main/engine/models';
import { SessionCache } from '../../src/main/engine/runtime';
import { readAdapterFolder } from '../../src/main/engine/train/adapter-folder';

const args = process.argv.slice(2);
const softPromptOnly = args.includes('--soft-prompt');
const [folder, out, prompt = 'Triage this support message: I was charged twice for my subscription this month.'] =
  args.filter((a) => a !== '--soft-prompt');
if (!folder || !out) throw new Error('usage: dovetail_export_logits.ts <export folder> <out.json> ["prompt"]');
const config = JSON.parse(await readFile(join(folder, 'adapter_config.json'), 'utf8')) as {
  base_model_name_or_path: string;
};
const checkpoint = await loadCheckpoint(config.base_model_name_or_path);
const adapter = await readAdapterFolder(folder, checkpoint.config);
const sessions = new SessionCache({ threads: 1 });
try {
  const runner = await ModelRunner.open(
    checkpoint,
    sessions,
    adapter.loraTargets.length > 0 ? adapter.loraTargets : loraModules(checkpoint.config),
  );
  const ids = checkpoint.tokenizer.encode(prompt);
  const inputIds = { data: BigInt64Array.from(ids, BigInt), dims: [1, ids.length] as [number, number] };
  // The root adapter only: a soft prompt in prompt_tuning/ is a second PEFT adapter that from_pretrained does not load.
  const spec =
    adapter.lora && !softPromptOnly
      ? { adapter: adapter.specialization.adapter }
      : { softPrompt: adapter.specialization.softPrompt };
  const withAdapter = await runner.forward({ inputIds }, spec);
  const base = await runner.forward({ inputIds });
  await writeFile(
    out,
    JSON.stringify({
      prompt,
      input_ids: ids,
      dims: withAdapter.dims,
      logits: Array.from(withAdapter.data),
      base_logits: Array.from(base.data),
    }),
  );
  console.log(`wrote ${out}: ${ids.length} tokens, logits [${withAdapter.dims.join(', ')}]`);
} finally {
  await sessions.dispose();
}
