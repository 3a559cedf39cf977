// The open section lives in the URL hash (#/prompts), so a reload keeps the user where they were and the
// browser's back button moves between sections. A section may take parameters after it (#/review?round=<id>), so
// another section can link to one of its items.
import { useCallback, useSyncExternalStore } from 'react';
import type { SectionId } from './sections';

/** The section named by the address ('' when none; the shell opens the first registered one for an unknown id). */
function readHash(): SectionId {
  return window.location.hash.replace(/^#\/?/, '').split('?')[0] ?? '';
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

export function useSection(): [SectionId, (id: SectionId) => void] {
  const section = useSyncExternalStore(subscribe, readHash);
  const go = useCallback((id: SectionId) => {
    if (readHash() !== id || window.location.hash === '') window.location.hash = `/${id}`;
  }, []);
  return [section, go];
}

/** A parameter of the section's address (#/review?round=<id>), read once by the section that owns it. */
export function sectionParam(name: string): string | null {
  const query = window.location.hash.split('?')[1];
  return query === undefined ? null : new URLSearchParams(query).get(name);
}

/** The address of a section with parameters, for links from other sections. */
export function sectionHref(id: SectionId, params: Record<string, string>): string {
  return `#/${id}?${new URLSearchParams(params).toString()}`;
}
