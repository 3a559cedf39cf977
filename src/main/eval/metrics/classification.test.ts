import { describe, expect, it } from 'vitest';
import { OTHER_LABEL, confusionMatrix, macroF1, readLabel } from './classification';

const pairs = (rows: [string, string][]) => rows.map(([expected, predicted]) => ({ expected, predicted }));

describe('readLabel', () => {
  it('reads the whole text or a JSON field, normalised', () => {
    expect(readLabel(' Positive. ', undefined)).toBe('positive');
    expect(readLabel('```json\n{"label": "NEG"}\n```', 'label')).toBe('neg');
    expect(readLabel('{"label": 3}', 'label')).toBe('3');
    expect(readLabel('{"other": "x"}', 'label')).toBeUndefined();
    expect(readLabel('neg', 'label')).toBeUndefined();
  });
});

describe('confusionMatrix and macroF1', () => {
  it('match a hand-computed 3-class case', () => {
    // 10 examples, rows = true class, columns = cat, dog, bird, (other)
    //   cat : cat cat cat dog        -> [3, 1, 0, 0]
    //   dog : dog dog cat fish       -> [1, 2, 0, 1]   (fish is outside the label set)
    //   bird: bird bird              -> [0, 0, 2, 0]
    const data = pairs([
      ['cat', 'cat'],
      ['cat', 'cat'],
      ['cat', 'cat'],
      ['cat', 'dog'],
      ['dog', 'dog'],
      ['dog', 'dog'],
      ['dog', 'cat'],
      ['dog', 'fish'],
      ['bird', 'bird'],
      ['bird', 'bird'],
    ]);
    const confusion = confusionMatrix(data, ['Cat', 'Dog', 'Bird']);
    expect(confusion).toEqual({
      labels: ['Cat', 'Dog', 'Bird'],
      columns: ['Cat', 'Dog', 'Bird', OTHER_LABEL],
      matrix: [
        [3, 1, 0, 0],
        [1, 2, 0, 1],
        [0, 0, 2, 0],
      ],
    });
    // cat:  TP 3, FP 1 (a dog), FN 1 -> F1 = 6/8 = 0.75
    // dog:  TP 2, FP 1 (a cat), FN 2 -> F1 = 4/7
    // bird: TP 2, FP 0, FN 0        -> F1 = 1
    // macro = (0.75 + 4/7 + 1) / 3 = 0.773809...
    expect(macroF1(confusion)).toBeCloseTo((0.75 + 4 / 7 + 1) / 3, 15);
  });

  it('derives sorted labels from the references and appends unknown references to spec labels', () => {
    const data = pairs([
      ['b', 'a'],
      ['a', 'a'],
      ['c', 'c'],
    ]);
    expect(confusionMatrix(data).labels).toEqual(['a', 'b', 'c']);
    expect(confusionMatrix(data, ['a', 'b']).labels).toEqual(['a', 'b', 'c']);
  });

  it('leaves out classes that never occur, and is null with no data', () => {
    const confusion = confusionMatrix(
      pairs([
        ['a', 'a'],
        ['a', 'a'],
      ]),
      ['a', 'b'],
    );
    expect(macroF1(confusion)).toBe(1);
    expect(macroF1(confusionMatrix([], ['a', 'b']))).toBeNull();
  });
});
