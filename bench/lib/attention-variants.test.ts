// The benchmarks' attention variants (GroupQueryAttention, Attention-23) against the PyTorch reference, as the app's
// attention is tested: logits within 1e-4 and identical greedy tokens per reference model.
import { describeReferenceParity } from '../../src/main/engine/models/testing/reference-parity';
import { gqaAttention, onnxAttention } from './attention-variants';

describeReferenceParity(gqaAttention);
describeReferenceParity(onnxAttention);
