// Writes the Parquet samples of the dataset import tests with hyparquet-writer: a small question/answer table
// (INT64 ids, UTF-8 text, a split column, two row groups) and one with two bad rows (a missing answer, an infinite
// score). Run: node tools/import-fixtures/make-parquet.mjs (the files are committed; tests only read them).
import { parquetWriteFile } from 'hyparquet-writer';

const out = 'src/main/services/datasets/__fixtures__';

const questions = [
  ['What is the capital of France?', 'Paris', 'train'],
  ['How many legs does a spider have?', 'Eight', 'train'],
  ['Which planet is known as the red planet?', 'Mars', 'train'],
  ['What is H2O commonly called?', 'Water', 'validation'],
  ['Who wrote "Hamlet"?', 'William Shakespeare', 'test'],
  ['What is 12 times 12?', '144', 'test'],
];

parquetWriteFile({
  filename: `${out}/qa.parquet`,
  rowGroupSize: 4,
  columnData: [
    { name: 'id', data: questions.map((_, i) => BigInt(i + 1)), type: 'INT64' },
    { name: 'question', data: questions.map((q) => q[0]), type: 'STRING' },
    { name: 'answer', data: questions.map((q) => q[1]), type: 'STRING' },
    { name: 'split', data: questions.map((q) => q[2]), type: 'STRING' },
  ],
});

parquetWriteFile({
  filename: `${out}/bad-rows.parquet`,
  columnData: [
    { name: 'question', data: ['One?', 'Two?', 'Three?', 'Four?'], type: 'STRING' },
    { name: 'answer', data: ['1', '2', null, '4'], type: 'STRING' },
    { name: 'score', data: [0.5, 0.25, 1, Infinity], type: 'DOUBLE' },
  ],
});

// Chat conversations in a `messages` column, as Hugging Face chat datasets store them in Parquet.
parquetWriteFile({
  filename: `${out}/chat.parquet`,
  columnData: [
    {
      name: 'messages',
      data: [
        [
          { role: 'system', content: 'Answer with the capital only.' },
          { role: 'user', content: 'France?' },
          { role: 'assistant', content: 'Paris' },
        ],
        [
          { role: 'user', content: 'Japan?' },
          { role: 'assistant', content: 'Tokyo' },
        ],
      ],
    },
  ],
});
