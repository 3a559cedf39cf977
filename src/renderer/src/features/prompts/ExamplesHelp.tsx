// How a template uses a demonstration set: the rows arrive as `examples`, each with every field of the row.
import { Typography } from '@mui/material';
import { EXAMPLES_VARIABLE } from './template-text';
import { TextBlock } from './TextBlock';

const SAMPLE = `Triage this support message as JSON.
{% for ex in ${EXAMPLES_VARIABLE} %}Message: {{ ex.message }}
Ticket: {{ ex.output }}

{% endfor %}Message: {{ message }}
Ticket: `;

export function ExamplesHelp() {
  return (
    <div data-testid="examples-help">
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        A demonstration set is a list of rows from a dataset's training split, in your order. A template shows them
        through <code>{EXAMPLES_VARIABLE}</code>: each example has every field of its row, the expected output included.
        Choose the set where the template is used (the preview's Examples, an experiment). &quot;Insert examples
        loop&quot; in the editor writes the loop for you, for example:
      </Typography>
      <TextBlock text={SAMPLE} testId="examples-help-sample" />
    </div>
  );
}
