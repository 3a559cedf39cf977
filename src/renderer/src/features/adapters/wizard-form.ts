// The wizard's form state and its mapping to the contract's TrainingSpec (pure, so it is testable without a DOM).
import type { TrainingSpecIn } from '../../../../shared/contract';

export interface WizardForm {
  modelId: string;
  source: 'support-triage' | 'wordnet-supersense' | 'jsonl';
  path: string;
  inputField: string;
  outputField: string;
  prompt: string;
  chat: boolean;
  maxRows: string;
  method: 'lora' | 'soft-prompt' | 'both';
  r: number;
  alpha: number;
  targets: string[];
  n: number;
  lr: string;
  epochs: number;
  batchSize: number;
  maxSteps: string;
  warmupSteps: number;
  maxLength: string;
  evalEvery: number;
  checkpointEvery: number;
  seed: number;
}

export const TEMPLATES: Record<'support-triage' | 'wordnet-supersense', Pick<WizardForm, 'inputField' | 'outputField' | 'prompt'>> = {
  'support-triage': { inputField: 'message', outputField: 'output', prompt: 'Triage this support message as JSON.\nMessage: {{ input }}\nTicket: ' },
  'wordnet-supersense': { inputField: 'definition', outputField: 'output', prompt: '{{ word }} ({{ pos }}): {{ definition }}\nSupersense: ' },
};

export function initialForm(modelId: string): WizardForm {
  return {
    modelId, source: 'support-triage', path: '', ...TEMPLATES['support-triage'], chat: false, maxRows: '', method: 'lora', r: 8, alpha: 16, targets: ['q_proj', 'v_proj'],
    n: 8, lr: '', epochs: 1, batchSize: 4, maxSteps: '', warmupSteps: 0, maxLength: '', evalEvery: 10, checkpointEvery: 10, seed: 0,
  };
}

const optionalInt = (s: string): number | null => (s.trim() === '' ? null : Math.max(1, Math.round(Number(s))));

export function toSpec(f: WizardForm): TrainingSpecIn {
  return {
    modelId: f.modelId,
    data: f.source === 'jsonl' ? { kind: 'jsonl', path: f.path } : { kind: 'bundled', dataset: f.source },
    template: { inputField: f.inputField, outputField: f.outputField, prompt: f.prompt, chat: f.chat, maxRows: optionalInt(f.maxRows) },
    method: f.method,
    lora: { r: f.r, alpha: f.alpha, targets: f.targets as ('q_proj' | 'v_proj')[] },
    softPrompt: { n: f.n },
    hyper: {
      lr: f.lr.trim() === '' ? null : Number(f.lr), epochs: f.epochs, batchSize: f.batchSize, maxSteps: optionalInt(f.maxSteps), warmupSteps: f.warmupSteps,
      maxLength: optionalInt(f.maxLength), evalEvery: f.evalEvery, checkpointEvery: f.checkpointEvery, seed: f.seed,
    },
  };
}
