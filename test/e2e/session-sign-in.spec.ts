// Signing in and out through the real UI in Chromium: the console starts signed out, a wrong token is
// refused with the reason under the form, the right one opens the inbox, and signing out (deleting
// this computer's copy) brings the sign-in screen back. Screenshot of the sign-in screen in Spanish.
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { startSignInWebDemo, type SignInWebDemo } from '../helpers/session-web-demo.ts';

let demo: SignInWebDemo;

test.beforeAll(async () => {
  demo = await startSignInWebDemo(['--no-customers']);
});
test.afterAll(async () => {
  await demo?.stop();
});

test('signs in with the relay address and token, and signs out again', async ({ page }) => {
  await page.goto(demo.consoleUrl);
  const form = page.getByTestId('sign-in-form');
  await expect(form).toBeVisible();
  // The relay address is prefilled (the demo passes it like VENTANA_RELAY_URL would).
  await expect(page.getByTestId('sign-in-relay')).toHaveValue(demo.relayUrl);
  mkdirSync('reports/screenshots', { recursive: true });
  await page.screenshot({ path: 'reports/screenshots/sign-in-es.png' });

  await page.getByTestId('sign-in-token').fill('este-token-no-es-de-nadie-123');
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('sign-in-error')).toHaveAttribute('data-code', 'INVALID_TOKEN');
  await expect(page.getByTestId('sign-in-error')).toContainText('no aceptó este token');

  await page.getByTestId('sign-in-token').fill(demo.agentToken);
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('sync-status')).toBeVisible();
  await expect(page.getByTestId('account-menu')).toContainText('Agente demo');

  await page.getByTestId('account-menu').click();
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('sign-out-dialog')).toBeVisible();
  await page.getByTestId('sign-out-wipe').check();
  await page.getByTestId('sign-out-confirm').click();
  await expect(form).toBeVisible();
  await expect(page.getByTestId('sign-in-token')).toHaveValue('');
});
