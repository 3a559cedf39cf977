// The open section lives in the URL hash (#/prompts), so a reload keeps the user where they were and the
// browser's back button moves between sections.
import { useCallback, useSyncExternalStore } from 'react';
import { isSectionId, type SectionId } from './sections';

const DEFAULT_SECTION: SectionId = 'models';

function readHash(): SectionId {
  const id = window.location.hash.replace(/^#\/?/, '');
  return isSectionId(id) ? id : DEFAULT_SECTION;
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
