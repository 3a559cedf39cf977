// The page a reviewer on another machine opens (served by the review-only share server): a self-contained, keyboard
// first queue over the four reviewer calls, nothing else. The round and token travel in the URL's fragment, which the
// browser never sends to a server; the script runs under a per-response nonce (no inline handlers, no other origin).
// Plain DOM instead of the React app: the app needs services that are deliberately not reachable on this interface.

const SCRIPT = String.raw`
const params = new URLSearchParams(location.hash.slice(1));
const roundId = params.get('round') || '';
const token = params.get('token') || '';
history.replaceState(null, '', location.pathname);
const $ = (id) => document.getElementById(id);
let queue = null, index = 0, item = null, shownAt = Date.now();
async function call(method, arg) {
  const res = await fetch('/api/call/reviews/' + method, { method: 'POST', headers: { 'content-type': 'application/json', 'x-dovetail-token': token }, body: JSON.stringify(arg) });
  const body = await res.json();
  if (!body.ok) throw new Error(body.error && body.error.message || 'Refused');
  return body.result;
}
function text(v) { return typeof v === 'string' ? v : JSON.stringify(v); }
function render() {
  if (!queue || !item) return;
  $('title').textContent = queue.round.name;
  $('position').textContent = 'Item ' + (index + 1) + ' of ' + queue.items.length;
  $('progress').textContent = queue.done + ' / ' + queue.items.length + ' done';
  $('input').textContent = Object.entries(item.input).map(([k, v]) => k + ': ' + text(v)).join('\n');
  $('left').textContent = item.left;
  $('right').textContent = item.right === null ? '' : item.right;
  $('right-pane').hidden = item.right === null;
  $('voted').textContent = item.vote ? 'voted: ' + item.vote.verdict : '';
  $('done').hidden = queue.done !== queue.items.length;
  $('keys').textContent = item.mode === 'pairwise' ? '1 left better · 2 right better · 3 tie · 4 both bad · U undo · J/K next/previous' : '1 pass · 2 fail · U undo · J/K next/previous';
}
async function show(i) {
  index = Math.max(0, Math.min(queue.items.length - 1, i));
  item = await call('item', { roundId, itemId: queue.items[index].itemId });
  shownAt = Date.now();
  render();
}
async function load(goTo) {
  queue = await call('queue', { roundId });
  const target = goTo === undefined ? queue.next : goTo;
  const at = queue.items.findIndex((x) => x.itemId === target);
  await show(at < 0 ? 0 : at);
}
const VERDICTS = { pairwise: { 1: 'left', 2: 'right', 3: 'tie', 4: 'both-bad' }, single: { 1: 'pass', 2: 'fail' } };
async function onKey(e) {
  if (!item || e.ctrlKey || e.metaKey || e.altKey) return;
  const verdict = VERDICTS[item.mode][e.key];
  const key = e.key.toLowerCase();
  if (verdict) {
    await call('vote', { roundId, itemId: item.itemId, verdict, ms: Date.now() - shownAt });
    queue.items[index].done = true;
    queue.done = queue.items.filter((x) => x.done).length;
    const n = queue.items.length;
    let next = index;
    for (let s = 1; s <= n; s++) { if (!queue.items[(index + s) % n].done) { next = (index + s) % n; break; } }
    await show(next);
  } else if (key === 'u') {
    const back = await call('undo', { roundId });
    if (back) await load(back.itemId);
  } else if (key === 'j') await show(index + 1);
  else if (key === 'k') await show(index - 1);
  else return;
  e.preventDefault();
}
document.addEventListener('keydown', (e) => { onKey(e).catch((err) => { $('error').textContent = err.message; }); });
load().catch((err) => { $('error').textContent = err.message; });
`;

const STYLE = `
body { font: 15px system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 16px; }
header { display: flex; gap: 16px; align-items: baseline; } h1 { flex: 1; font-size: 20px; }
pre { white-space: pre-wrap; word-break: break-word; border: 1px solid #ccc; border-radius: 6px; padding: 8px; max-height: 50vh; overflow: auto; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; } #error { color: #b00020; } #done { color: #1b5e20; }
`;

export function portalPage(nonce: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dovetail review</title><style nonce="${nonce}">${STYLE}</style></head>
<body><header><h1 id="title">Review</h1><span id="position" data-testid="portal-position"></span><span id="progress" data-testid="portal-progress"></span></header>
<p id="error" role="alert" data-testid="portal-error"></p><p id="done" data-testid="portal-done" hidden>All items judged. Thank you!</p>
<pre id="input" data-testid="portal-input"></pre>
<div class="sides"><div><strong>Left</strong><pre id="left" data-testid="portal-left"></pre></div><div id="right-pane"><strong>Right</strong><pre id="right" data-testid="portal-right"></pre></div></div>
<p id="voted" data-testid="portal-voted"></p><p id="keys"></p>
<script nonce="${nonce}">${SCRIPT}</script></body></html>`;
}
