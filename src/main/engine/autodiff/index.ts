// Reverse-mode autodiff over the graph builder: the VJP table, the reverse walk that adds gradient outputs to a
// forward graph, and the finite-difference gradient check.
export { BACKWARD_SCOPE, buildBackward, gradName, type BackwardSpec } from './backward';
export { INFERENCE_ONLY, NONE, type Vjp, type VjpContext, type VjpEntry } from './context';
export {
  gradcheck,
  randomTensor,
  SeededRandom,
  TOLERANCES,
  type GradcheckCase,
  type GradcheckResult,
  type ParamCheck,
  type Tolerance,
} from './gradcheck';
export { vjpOf, vjps } from './vjp';
