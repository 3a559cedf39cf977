// The app's inference graph (decomposed attention) against the PyTorch reference: logits and greedy tokens per
// reference model, with and without a LoRA and a soft prompt (testing/reference-parity.ts).
import { DEFAULT_ATTENTION } from './model-runner';
import { describeReferenceParity } from './testing/reference-parity';

describeReferenceParity(DEFAULT_ATTENTION);
