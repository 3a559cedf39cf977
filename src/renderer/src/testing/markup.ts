// Test helper: a component rendered to static HTML (react-dom/server, no DOM needed), with MUI's inline <style>
// elements removed so that assertions read the markup and text a user gets.
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

export function markup(element: ReactElement): string {
  return renderToStaticMarkup(element).replace(/<style[^>]*>[\s\S]*?<\/style>/g, '');
}

/** The visible text, tags dropped and entities of quotes and ampersands read back. */
export function textOf(element: ReactElement): string {
  return markup(element)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
