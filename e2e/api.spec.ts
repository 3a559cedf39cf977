// Browser mode's boundary as seen from outside: the token, argument validation, and losing the server.
import { expect, test } from './fixtures';

test('a call without the token is refused with an error envelope', async ({ server, request }) => {
  const response = await request.post(`${server.origin}/api/call/workspace/current`, { data: {} });
  expect(response.status()).toBe(401);
  const body = await response.json();
  expect(body).toMatchObject({ ok: false, error: { kind: 'user' } });
  expect(body.error.message).toEqual(expect.any(String));
});

test('a call with a wrong token is refused too', async ({ server, request }) => {
  const response = await request.post(`${server.origin}/api/call/workspace/current`, {
    data: {},
    headers: { 'x-dovetail-token': `${server.token}x` },
  });
  expect(response.status()).toBe(401);
  expect(await response.json()).toMatchObject({ ok: false, error: { kind: 'user' } });
});

test('a malformed argument gets a validation error, not a crash', async ({ server, request }) => {
  const headers = { 'x-dovetail-token': server.token };
  const bad = await request.post(`${server.origin}/api/call/workspace/open`, { data: { path: 42 }, headers });
  expect(await bad.json()).toMatchObject({
    ok: false,
    error: { kind: 'user', code: 'validation', where: 'workspace.open: path' },
  });
  // The server is still answering.
  const good = await request.post(`${server.origin}/api/call/workspace/current`, { data: {}, headers });
  expect(await good.json()).toEqual({ ok: true, result: null });
});

test('the token leaves the address bar but reloads keep working', async ({ app, page }) => {
  expect(page.url()).not.toContain('token=');
  await page.reload();
  await app.picker.expectVisible();
  expect(page.url()).not.toContain('token=');
});

test('losing the server shows the connection-lost banner', async ({ app, server }) => {
  await app.picker.expectVisible();
  await expect(app.connectionLost).toBeHidden();
  await server.stop();
  await expect(app.connectionLost).toBeVisible();
});

test('opening the app without the token explains what to do', async ({ server, page }) => {
  await page.goto(`${server.origin}/`);
  const error = page.getByTestId('startup-error');
  await expect(error).toContainText('Dovetail could not start');
  await expect(error).toContainText('full link');
});
