// Left navigation between sections, with each section's keyboard shortcut.
import { Box, List, ListItemButton, ListItemIcon, ListItemText } from '@mui/material';
import { NUMBERED_SECTIONS, SECTIONS, type SectionId } from './sections';
import { MOD_KEY_LABEL } from './useShortcuts';

function shortcut(id: SectionId): string {
  const index = NUMBERED_SECTIONS.findIndex((s) => s.id === id);
  return index < 0 ? '' : `${MOD_KEY_LABEL}+${(index + 1) % 10}`;
}

/** `only`: the sections this user may open (a reviewer sees only the review queue); default all. */
export function NavRail({ current, go, only }: { current: SectionId; go: (id: SectionId) => void; only?: readonly SectionId[] }) {
  return (
    <Box component="nav" aria-label="Sections" sx={{ width: 220, flexShrink: 0, borderRight: 1, borderColor: 'divider', overflowY: 'auto' }}>
      <List dense>
        {SECTIONS.map((section) => (only && !only.includes(section.id) ? null : (
          <ListItemButton
            key={section.id}
            selected={section.id === current}
            aria-current={section.id === current ? 'page' : undefined}
            onClick={() => go(section.id)}
            data-testid={`nav-${section.id}`}
            title={shortcut(section.id) ? `${section.label} (${shortcut(section.id)})` : section.label}
          >
            <ListItemIcon sx={{ minWidth: 40 }}>{section.icon}</ListItemIcon>
            <ListItemText primary={section.label} />
            <Box component="span" sx={{ color: 'text.disabled', fontSize: 12 }}>
              {shortcut(section.id)}
            </Box>
          </ListItemButton>
        )))}
      </List>
    </Box>
  );
}
