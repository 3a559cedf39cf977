// The section registry's types and context. A feature registers its section (features/<name>/section.tsx: id,
// order, label, icon, what it is for, its screen); the composition root assembles the list and provides it, and the
// shell (navigation, Ctrl/Cmd+1..9 and 0 in `order`, the section view) reads it here. The shell imports no feature.
import { createContext, useContext, type ComponentType, type ReactElement, type ReactNode } from 'react';
import { BugError } from '../../../../shared/errors';

/** A section's address in the URL hash (#/prompts), and how other sections link to it. */
export type SectionId = string;

export interface Section {
  readonly id: SectionId;
  readonly label: string;
  readonly icon: ReactElement;
  /** The heading of the section's empty state. */
  readonly emptyTitle: string;
  /** One or two sentences on what the section is for, shown while it is empty. */
  readonly description: string;
}

export interface SectionRegistration extends Section {
  /** Place in the navigation, lowest first (gaps of 10 leave room between). */
  readonly order: number;
  /** The section's screen; absent: a section still to come, shown as its empty state. */
  readonly component?: ComponentType<{ section: Section }>;
  /** false: no Ctrl/Cmd+digit and never the section an unknown address opens (a guide such as "Start here"). */
  readonly numbered?: boolean;
}

/** The registrations in navigation order; two with one id are a bug. */
export function assembleSections(registrations: readonly SectionRegistration[]): readonly SectionRegistration[] {
  const ids = new Set<string>();
  for (const r of registrations) {
    if (ids.has(r.id)) throw new BugError(`two sections are registered as "${r.id}"`);
    ids.add(r.id);
  }
  return [...registrations].sort((a, b) => a.order - b.order);
}

const SectionsContext = createContext<readonly SectionRegistration[]>([]);

export function SectionsProvider({
  sections,
  children,
}: {
  sections: readonly SectionRegistration[];
  children: ReactNode;
}) {
  return <SectionsContext.Provider value={sections}>{children}</SectionsContext.Provider>;
}

export function useSections(): readonly SectionRegistration[] {
  return useContext(SectionsContext);
}

/** The sections Ctrl/Cmd+1..9 and 0 reach, in order. */
export function numberedSections(sections: readonly SectionRegistration[]): readonly SectionRegistration[] {
  return sections.filter((s) => s.numbered !== false);
}

/** "Ctrl+3" for a numbered section, '' for one without a shortcut. */
export function shortcutDigit(sections: readonly SectionRegistration[], id: SectionId): string {
  const index = numberedSections(sections).findIndex((s) => s.id === id);
  return index < 0 ? '' : String((index + 1) % 10);
}
