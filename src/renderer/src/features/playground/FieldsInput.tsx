// The input of a specialized run: one box per field the template reads (one "input" box without a template, sent as
// it is). The service renders them through the template, with the demonstrations, as experiments do.
import { Stack, TextField, Typography } from '@mui/material';
import type { TemplateVersion } from '../../../../shared/contract';
import { MOD_KEY_LABEL } from '../shell/useShortcuts';

export interface FieldsInputProps {
  readonly fields: readonly string[];
  readonly values: Record<string, string>;
  readonly template: TemplateVersion | null;
  readonly disabled: boolean;
  onChange(values: Record<string, string>): void;
}

export function FieldsInput({ fields, values, template, disabled, onChange }: FieldsInputProps) {
  return (
    <Stack spacing={1.5} data-testid="playground-fields">
      <Typography variant="body2" color="text.secondary">
        {template
          ? `The template ${template.name} v${template.version} fills in ${fields.length === 1 ? 'this field' : 'these fields'}.`
          : 'No template: the input is sent as it is.'}
      </Typography>
      {fields.map((f, i) => (
        <TextField
          key={f}
          label={f}
          multiline
          minRows={fields.length === 1 ? 3 : 1}
          maxRows={10}
          autoFocus={i === 0}
          disabled={disabled}
          value={values[f] ?? ''}
          onChange={(e) => onChange({ ...values, [f]: e.target.value })}
          helperText={i === fields.length - 1 ? `${MOD_KEY_LABEL}+Enter runs, Esc cancels.` : ' '}
          slotProps={{ htmlInput: { 'data-testid': `playground-field-${f}` } }}
        />
      ))}
    </Stack>
  );
}
