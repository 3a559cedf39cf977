// The benchmarks' attention variants (GroupQueryAttention, Attention-23) against the PyTorch reference, as the app's
// attention is tested: logits within 1e-4 and identical greedy tokens per reference model of the Llama family (they
// take neither a score scale nor soft-capping, which Gemma needs).
import { describeReferenceParity } from '../../src/main/engine/models/testing/reference-parity';
import { LLAMA_FAMILY_REFERENCES } from '../../src/main/engine/models/testing/reference-fixtures';
import { gqaAttention, onnxAttention } from './attention-variants';

describeReferenceParity(gqaAttention, LLAMA_FAMILY_REFERENCES);
describeReferenceParity(onnxAttention, LLAMA_FAMILY_REFERENCES);
