import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { artifactPath, launchChromium } from '../support/browser';
import { freePort, get, spawnApp, stopAllApps } from '@desafios/testing';

/** What a person sees: the consumer's page in headless Chromium, in front of the real users-service. */
describe('Desafio 4 (navegador): a página do users-consumer', () => {
  let browser: Browser;
  let servicePort: number;

  beforeAll(async () => {
    browser = await launchChromium();
    servicePort = await freePort();
    await spawnApp('users-service', { PORT: String(servicePort) });
  });

  afterAll(async () => {
    await browser?.close();
    await stopAllApps();
  });

  it('shows a heading and one list item per user, with nome and ativo_desde', async () => {
    const consumerPort = await freePort();
    await spawnApp('users-consumer', { PORT: String(consumerPort), USERS_SERVICE_URL: `http://127.0.0.1:${servicePort}` });
    const users = JSON.parse((await get(`http://127.0.0.1:${servicePort}/users`)).body) as { nome: string; ativo_desde: string }[];

    const page = await browser.newPage();
    const response = await page.goto(`http://127.0.0.1:${consumerPort}/`);
    expect(response?.status()).toBe(200);
    expect(await page.locator('h1').innerText()).toBe('Usuários');
    const items = await page.locator('ul > li').allInnerTexts();
    expect(items).toEqual(users.map((user) => `${user.nome} — ativo desde ${user.ativo_desde}`));
    await page.screenshot({ path: artifactPath('desafio4.png'), fullPage: true });
    await page.close();
  });

  it('shows a name with markup as plain text, and no script runs', async () => {
    const stub = createServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify([{ id: 1, nome: '<script>alert(1)</script><b>negrito</b>', ativo_desde: '2020-01-02' }]));
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    const consumerPort = await freePort();
    await spawnApp('users-consumer', {
      PORT: String(consumerPort),
      USERS_SERVICE_URL: `http://127.0.0.1:${(stub.address() as AddressInfo).port}`,
    });
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    try {
      await page.goto(`http://127.0.0.1:${consumerPort}/`);
      expect(await page.locator('ul > li .nome').innerText()).toBe('<script>alert(1)</script><b>negrito</b>');
      expect(await page.locator('ul b, ul script').count()).toBe(0);
      expect(dialogs).toEqual([]);
    } finally {
      await page.close();
      stub.closeAllConnections();
      stub.close();
    }
  });

  it('users-service /docs renders the Swagger UI with both routes', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${servicePort}/docs`);
    const paths = page.locator('.opblock-summary-path');
    await paths.first().waitFor({ timeout: 10_000 });
    expect(await paths.allInnerTexts()).toEqual(expect.arrayContaining(['/users', '/users/{id}']));
    await page.close();
  });
});
