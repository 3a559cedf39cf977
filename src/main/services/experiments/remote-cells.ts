// Checks an experiment's remote engine when it is created: every cell names a model the server serves, a vLLM server
// gets no cell with a soft prompt (vLLM serves LoRA only), and the server's identity is recorded in the spec.
import type { Experiment, ExperimentSpec } from '../../../shared/contract/experiments';
import type { Specialization } from '../../../shared/contract/specializations';
import { UserError } from '../../../shared/errors';
import { RemoteClient } from '../remote/remote-client';

type Remote = NonNullable<ExperimentSpec['remote']>;

export async function checkedRemote(
  remote: Remote,
  cells: Experiment['cells'],
  specializations: { specialization(id: string): Specialization },
  now: string,
): Promise<Remote> {
  for (const cell of cells) {
    const s = specializations.specialization(cell.specializationId);
    if (remote.models[cell.specializationId] === undefined)
      throw new UserError(`The cell "${cell.label}" has no model name on the server.`, {
        code: 'remote-model',
        where: `remote.models.${cell.specializationId}`,
        hint: 'Give each cell the model name its specialization has on the server (vLLM: the --lora-modules name).',
      });
    if (remote.kind === 'vllm' && s.softPromptAdapterId !== null)
      throw new UserError(`"${s.name}" has a soft prompt, which vLLM cannot serve.`, {
        code: 'remote-soft-prompt',
        where: `remote.models.${cell.specializationId}`,
        hint: 'Evaluate its LoRA-only variant (the same specialization without the soft prompt) on vLLM, or this one locally or on a Dovetail endpoint.',
      });
  }
  const identity = await new RemoteClient(remote).identify(now);
  return { ...remote, identity };
}
