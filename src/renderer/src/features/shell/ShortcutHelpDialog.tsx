// The list of keyboard shortcuts, opened with "?" or from the top bar.
import {
  Box,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Button,
  Table,
  TableBody,
  TableCell,
  TableRow,
} from '@mui/material';
import { numberedSections, useSections } from './sections';
import { MOD_KEY_LABEL } from './useShortcuts';

function Keys({ keys }: { keys: readonly string[] }) {
  return (
    <Box component="span" sx={{ display: 'inline-flex', gap: 0.5 }}>
      {keys.map((key) => (
        <Box
          component="kbd"
          key={key}
          sx={{
            px: 0.75,
            py: 0.25,
            border: 1,
            borderColor: 'divider',
            borderRadius: 1,
            fontFamily: 'inherit',
            fontSize: 13,
          }}
        >
          {key}
        </Box>
      ))}
    </Box>
  );
}

export function ShortcutHelpDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const sections = useSections();
  const rows: [readonly string[], string][] = [
    ...numberedSections(sections).map((section, index): [readonly string[], string] => [
      [MOD_KEY_LABEL, String((index + 1) % 10)],
      `Go to ${section.label}`,
    ]),
    [[MOD_KEY_LABEL, ','], 'Open settings'],
    [[MOD_KEY_LABEL, 'Enter'], 'Run the Playground prompt; submit a dialog; run Try live'],
    [['Esc'], 'Cancel the Playground or Try live run; close a drawer'],
    [[MOD_KEY_LABEL, 'S'], 'Save a new version of the template (Prompts)'],
    [['?'], 'Show this list'],
  ];
  return (
    <Dialog open={open} onClose={onClose} data-testid="shortcut-help" aria-labelledby="shortcut-help-title">
      <DialogTitle id="shortcut-help-title">Keyboard shortcuts</DialogTitle>
      <DialogContent>
        <Table size="small">
          <TableBody>
            {rows.map(([keys, action]) => (
              <TableRow key={action}>
                <TableCell>
                  <Keys keys={keys} />
                </TableCell>
                <TableCell>{action}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
