// Left navigation between sections, with each section's keyboard shortcut.
import { Box, List, ListItemButton, ListItemIcon, ListItemText } from '@mui/material';
import { shortcutDigit, useSections, type SectionId } from './sections';
import { MOD_KEY_LABEL } from './useShortcuts';

/** `only`: the sections this user may open (a reviewer sees only the review queue); default all. */
export function NavRail({
  current,
  go,
  only,
}: {
  current: SectionId;
  go: (id: SectionId) => void;
  only?: readonly SectionId[];
}) {
  const sections = useSections();
  return (
    <Box
      component="nav"
      aria-label="Sections"
      sx={{ width: 220, flexShrink: 0, borderRight: 1, borderColor: 'divider', overflowY: 'auto' }}
    >
      <List dense>
        {sections.map((section) =>
          only && !only.includes(section.id) ? null : (
            <ListItemButton
              key={section.id}
              selected={section.id === current}
              aria-current={section.id === current ? 'page' : undefined}
              onClick={() => go(section.id)}
              data-testid={`nav-${section.id}`}
              title={
                shortcutDigit(sections, section.id)
                  ? `${section.label} (${MOD_KEY_LABEL}+${shortcutDigit(sections, section.id)})`
                  : section.label
              }
            >
              <ListItemIcon sx={{ minWidth: 40 }}>{section.icon}</ListItemIcon>
              <ListItemText primary={section.label} />
              <Box component="span" sx={{ color: 'text.disabled', fontSize: 12 }}>
                {shortcutDigit(sections, section.id) && `${MOD_KEY_LABEL}+${shortcutDigit(sections, section.id)}`}
              </Box>
            </ListItemButton>
          ),
        )}
      </List>
    </Box>
  );
}
