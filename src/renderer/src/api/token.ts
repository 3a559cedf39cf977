// Browser mode's per-launch token: taken from the link the server printed (?token=...), kept for this tab in
// sessionStorage so reloads work, and removed from the address bar so it is not bookmarked or shared by accident.
import { HTTP_ROUTES } from '../../../shared/contract';

const STORAGE_KEY = 'dovetail.token';

export function takeToken(location: Location, history: History, storage: Storage): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get(HTTP_ROUTES.tokenQuery);
  if (fromUrl) {
    storage.setItem(STORAGE_KEY, fromUrl);
    url.searchParams.delete(HTTP_ROUTES.tokenQuery);
    history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  return storage.getItem(STORAGE_KEY);
}
