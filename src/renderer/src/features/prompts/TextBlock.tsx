// Text shown exactly as it is (white space kept, monospace): rendered prompts, references, read-only sources.
import { Box, Typography } from '@mui/material';

export function TextBlock({
  label,
  text,
  testId,
  maxHeight = 320,
}: {
  label?: string;
  text: string;
  testId: string;
  maxHeight?: number;
}) {
  return (
    <Box>
      {label && (
        <Typography variant="caption" color="text.secondary" component="p" sx={{ mb: 0.5 }}>
          {label}
        </Typography>
      )}
      <Box
        component="pre"
        data-testid={testId}
        sx={{
          m: 0,
          p: 1.5,
          borderRadius: 1,
          bgcolor: 'action.hover',
          fontFamily: 'monospace',
          fontSize: 13,
          whiteSpace: 'pre-wrap',
          overflowWrap: 'anywhere',
          maxHeight,
          overflow: 'auto',
        }}
      >
        {text}
      </Box>
    </Box>
  );
}
