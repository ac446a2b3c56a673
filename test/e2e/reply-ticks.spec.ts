// An agent's whole round trip in the real UI: a customer writes (simulator -> signed webhook ->
// relay -> console), the agent replies in Chromium, Meta (the simulator) receives exactly one send
// with the typed text, and each tick appears only once the simulator posts that status.
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { simulatorControl, startWebDemo, type WebDemoProcess } from './web-demo-process.ts';

interface RecordedSend {
  wamid: string;
  to: string;
  text: string | null;
}

let demo: WebDemoProcess;

test.beforeAll(async () => {
  demo = await startWebDemo(['--no-customers', '--manual-statuses']);
});
test.afterAll(async () => {
  await demo?.stop();
});

test('a customer message arrives live, the reply is sent once and its ticks follow the statuses', async ({
  page,
}) => {
  await page.goto(demo.consoleUrl);
  await expect(page.getByTestId('sync-status')).toBeVisible();

  // The customer writes after the console is open: it must appear without a reload.
  await simulatorControl(demo, 'POST', 'inbound', {
    from: '5215512345678',
    name: 'Lucía Hernández',
    text: 'Hola, ¿tienen la chamarra en talla M?',
  });
  const conversation = page.getByTestId('conversation-item').filter({ hasText: 'Lucía Hernández' });
  await expect(conversation).toBeVisible();
  await conversation.click();
  await expect(
    page.getByTestId('message-bubble').filter({ hasText: 'Hola, ¿tienen la chamarra en talla M?' }),
  ).toHaveAttribute('data-direction', 'in');

  const reply = 'Sí, nos queda una en azul marino. ¿Te la aparto?';
  await page.getByTestId('composer-input').fill(reply);
  await page.getByTestId('composer-send').click();
  await expect(page.getByTestId('composer-input')).toHaveValue('');

  const bubble = page.getByTestId('message-bubble').filter({ hasText: reply });
  await expect(bubble).toHaveAttribute('data-direction', 'out');
  // Meta accepted the send, but no status webhook has been posted: no tick may claim more.
  await expect(bubble).toHaveAttribute('data-status', 'accepted');

  const { sends } = await simulatorControl<{ sends: RecordedSend[] }>(demo, 'GET', 'sends');
  expect(sends).toHaveLength(1);
  expect(sends[0]).toMatchObject({ to: '5215512345678', text: reply });
  const wamid = sends[0]!.wamid;

  let previous = 'accepted';
  for (const status of ['sent', 'delivered', 'read'] as const) {
    // The tick still shows the previous status right up to the moment the simulator posts this one.
    await expect(bubble).toHaveAttribute('data-status', previous);
    await simulatorControl(demo, 'POST', 'status', { wamid, status });
    await expect(bubble).toHaveAttribute('data-status', status);
    previous = status;
  }

  const after = await simulatorControl<{ sends: RecordedSend[] }>(demo, 'GET', 'sends');
  expect(after.sends).toHaveLength(1);

  mkdirSync('reports/screenshots', { recursive: true });
  await page.screenshot({ path: 'reports/screenshots/e2e-reply-ticks.png' });
});
