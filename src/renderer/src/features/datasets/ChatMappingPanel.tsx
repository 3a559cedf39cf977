// The import's extra step for OpenAI chat fine-tuning files: how each conversation becomes fields (which system
// message, what happens to earlier turns), said in words; a change re-reads the sample with the new mapping.
import { Alert, MenuItem, Stack, TextField, Typography } from '@mui/material';
import type { ChatMapping, FileInspection } from '../../../../shared/contract';

const SYSTEM_CHOICES: readonly [ChatMapping['system'], string][] = [
  ['first', 'The first system message'],
  ['joined', 'All system messages, joined'],
  ['none', 'None (drop system messages)'],
];

const HISTORY_CHOICES: readonly [ChatMapping['history'], string][] = [
  ['field', 'Keep them in a "history" field'],
  ['drop', 'Drop them'],
  ['refuse', 'Refuse conversations that have any'],
];

export interface ChatMappingPanelProps {
  chat: NonNullable<FileInspection['chat']>;
  disabled: boolean;
  onChange: (mapping: ChatMapping) => void;
}

export function ChatMappingPanel({ chat, disabled, onChange }: ChatMappingPanelProps) {
  const { mapping } = chat;
  return (
    <Stack spacing={1} data-testid="import-chat-mapping">
      <Alert severity="info">
        These rows are OpenAI chat conversations (a <code>messages</code> list). Each becomes one row: the last user
        message is the <b>input</b>, the assistant message that ends the conversation is the <b>reference</b>. In the
        first rows, {chat.multiTurnRows} have earlier turns and {chat.systemRows} a system message.
      </Alert>
      <Stack direction="row" spacing={1.5}>
        <TextField
          select
          label="System field"
          size="small"
          value={mapping.system}
          disabled={disabled}
          onChange={(e) => onChange({ ...mapping, system: e.target.value as ChatMapping['system'] })}
          sx={{ minWidth: 280 }}
          slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'import-chat-system' } as object } }}
        >
          {SYSTEM_CHOICES.map(([value, label]) => (
            <MenuItem key={value} value={value}>
              {label}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Turns before the last user message"
          size="small"
          value={mapping.history}
          disabled={disabled}
          onChange={(e) => onChange({ ...mapping, history: e.target.value as ChatMapping['history'] })}
          sx={{ minWidth: 320 }}
          slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'import-chat-history' } as object } }}
        >
          {HISTORY_CHOICES.map(([value, label]) => (
            <MenuItem key={value} value={value}>
              {label}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      <Typography variant="caption" color="text.secondary">
        A kept history is a list of {'{role, content}'} a template can loop over; exported back to chat JSONL it becomes
        the turns before the user message again. Conversations that end with a tool call, hold images or have no user
        message are refused by line.
      </Typography>
    </Stack>
  );
}
