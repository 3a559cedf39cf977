// Test helper: a deterministic "model" behind the StepFunction contract. It keeps its own cache of what each row has
// seen, sees tokens only through attention_mask (padding invisible), and checks position_ids and the mask's shape,
// so a wrong mask or position shows up as a changed output or a thrown error.
import { PADDED_POSITION_ID } from '../inputs';
import type { StepInput } from '../generate';
import { Pcg32 } from '../random';

export interface NextContext {
  /** The row's real tokens so far (prompt and generated), in order. */
  history: readonly number[];
  /** Which step (0 = prefill). */
  step: number;
  row: number;
}

export type NextLogits = (context: NextContext) => ArrayLike<number>;

export class FakeModel {
  readonly inputs: StepInput[] = [];
  private histories: number[][] = [];
  private columns = 0;

  constructor(
    readonly vocab: number,
    private readonly next: NextLogits,
    private readonly hooks: { onStep?: (input: StepInput) => void } = {},
  ) {}

  readonly step = async (input: StepInput): Promise<Float32Array> => {
    this.inputs.push(input);
    this.hooks.onStep?.(input);
    const [batch, length] = input.inputIds.dims;
    const width = input.attentionMask.dims[1];
    if (input.step === 0) {
      this.histories = Array.from({ length: batch }, () => []);
      this.columns = 0;
    }
    if (input.pastLength !== this.columns || width !== this.columns + length) {
      throw new Error(
        `fake model: past ${input.pastLength}, mask width ${width}, but the cache holds ${this.columns} and T = ${length}`,
      );
    }
    const logits = new Float32Array(batch * this.vocab);
    for (let b = 0; b < batch; b++) {
      const history = this.histories[b]!;
      for (let t = 0; t < length; t++) {
        const bit = input.attentionMask.data[b * width + this.columns + t]!;
        const position = input.positionIds.data[b * length + t]!;
        const token = Number(input.inputIds.data[b * length + t]!);
        if (bit === 1n) {
          if (position !== BigInt(history.length))
            throw new Error(`fake model: row ${b} position ${position}, expected ${history.length}`);
          history.push(token);
        } else {
          if (history.length > 0)
            throw new Error(`fake model: row ${b} has padding after real tokens (not left padding)`);
          if (position !== PADDED_POSITION_ID) throw new Error(`fake model: row ${b} padded position ${position}`);
        }
      }
      logits.set(Float32Array.from(this.next({ history: [...history], step: input.step, row: b })), b * this.vocab);
    }
    this.columns = width;
    return logits;
  };
}

/** Logits that are a pseudo-random function of the whole history (so any change of context changes them). */
export function hashedLogits(vocab: number, scale = 4): NextLogits {
  return ({ history }) => {
    let hash = 0x811c9dc5;
    for (const id of history) hash = Math.imul(hash ^ id, 0x01000193) >>> 0;
    const random = Pcg32.fromSeed(hash);
    return Array.from({ length: vocab }, () => (random.nextFloat() - 0.5) * scale);
  };
}

/** A model that says `script[i]` as its i-th generated token (then `after`), whatever the prompt. */
export function scripted(vocab: number, script: readonly number[], after: number): NextLogits {
  return ({ step }) => oneHot(vocab, script[step] ?? after);
}

export function oneHot(vocab: number, id: number, high = 10): Float32Array {
  const row = new Float32Array(vocab);
  row[id] = high;
  return row;
}
