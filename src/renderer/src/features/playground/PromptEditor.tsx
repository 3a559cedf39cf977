// What the model is asked: a chat (optional system message + the user's message, through the model's chat template)
// or raw text the model simply continues. Chat is offered only when the model has a chat template.
import { Stack, TextField, ToggleButton, ToggleButtonGroup, Tooltip } from '@mui/material';
import type { PlaygroundPrompt } from '../../../../shared/contract';
import { MOD_KEY_LABEL } from '../shell/useShortcuts';

export type PromptMode = PlaygroundPrompt['mode'];

export interface PromptDraft {
  readonly mode: PromptMode;
  readonly system: string;
  readonly message: string;
  readonly raw: string;
}

export const EMPTY_PROMPT: PromptDraft = { mode: 'chat', system: '', message: '', raw: '' };

/** The contract's prompt for a draft, or null while the part that matters is empty. */
export function promptOf(draft: PromptDraft): PlaygroundPrompt | null {
  if (draft.mode === 'raw') return draft.raw === '' ? null : { mode: 'raw', text: draft.raw };
  if (draft.message.trim() === '') return null;
  const system = draft.system.trim() === '' ? [] : [{ role: 'system' as const, content: draft.system }];
  return { mode: 'chat', messages: [...system, { role: 'user', content: draft.message }] };
}

export function PromptEditor({
  draft,
  chatAvailable,
  disabled,
  onChange,
}: {
  draft: PromptDraft;
  chatAvailable: boolean;
  disabled: boolean;
  onChange: (draft: PromptDraft) => void;
}) {
  const mode = chatAvailable ? draft.mode : 'raw';
  return (
    <Stack spacing={2}>
      <ToggleButtonGroup
        exclusive
        size="small"
        value={mode}
        onChange={(_e, value: PromptMode | null) => value && onChange({ ...draft, mode: value })}
        aria-label="Prompt mode"
        disabled={disabled}
      >
        <Tooltip
          title={
            chatAvailable
              ? 'Messages, formatted with the model\u2019s chat template'
              : 'This model has no chat template (a base model)'
          }
        >
          <span>
            <ToggleButton value="chat" disabled={disabled || !chatAvailable} data-testid="prompt-mode-chat">
              Chat
            </ToggleButton>
          </span>
        </Tooltip>
        <ToggleButton value="raw" data-testid="prompt-mode-raw">
          Raw text
        </ToggleButton>
      </ToggleButtonGroup>
      {mode === 'chat' ? (
        <>
          <TextField
            label="System message (optional)"
            size="small"
            multiline
            maxRows={4}
            value={draft.system}
            onChange={(e) => onChange({ ...draft, system: e.target.value })}
            slotProps={{ htmlInput: { 'data-testid': 'prompt-system' } }}
          />
          <TextField
            label="Message"
            multiline
            minRows={3}
            maxRows={12}
            autoFocus
            value={draft.message}
            onChange={(e) => onChange({ ...draft, message: e.target.value })}
            helperText={`${MOD_KEY_LABEL}+Enter runs, Esc cancels.`}
            slotProps={{ htmlInput: { 'data-testid': 'prompt-input' } }}
          />
        </>
      ) : (
        <TextField
          label="Text to continue"
          multiline
          minRows={4}
          maxRows={14}
          autoFocus
          value={draft.raw}
          onChange={(e) => onChange({ ...draft, raw: e.target.value })}
          helperText={`The model continues this text as-is. ${MOD_KEY_LABEL}+Enter runs, Esc cancels.`}
          slotProps={{ htmlInput: { 'data-testid': 'prompt-input' } }}
        />
      )}
    </Stack>
  );
}
