/**
 * Desafio 4 in containers: the compose profile `desafio4` (users-service + users-consumer on
 * minha_rede) under its own project name. The consumer reaches users-service by its service name;
 * stopping users-service must turn the page into a 503 within 2 s, and starting it again must
 * bring the list back without touching the consumer.
 * Needs the images: npx nx run users-service:docker-build && npx nx run users-consumer:docker-build
 */
import { ComposeProject, docker, freePort, get, waitFor } from '@desafios/testing';
import { consumerListsUsers, listItems } from '../support/core-checks';

describe('desafio 4: users-service e users-consumer (docker compose)', () => {
  let project: ComposeProject;
  let serviceBase: string;
  let consumerBase: string;

  beforeAll(async () => {
    const [servicePort, consumerPort] = [await freePort(), await freePort()];
    serviceBase = `http://127.0.0.1:${servicePort}`;
    consumerBase = `http://127.0.0.1:${consumerPort}`;
    project = new ComposeProject('desafios-e2e-d4', {
      COMPOSE_PROFILES: 'desafio4',
      USERS_SERVICE_PORT: String(servicePort),
      USERS_CONSUMER_PORT: String(consumerPort),
    });
    await project.run(['down', '-v', '--remove-orphans']);
    await project.run(['up', '-d', '--wait']);
  });

  afterAll(async () => {
    await project?.run(['down', '-v', '--remove-orphans']);
  });

  it('the consumer lists exactly the users that users-service serves on /users', async () => {
    const page = await consumerListsUsers(serviceBase, consumerBase);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('an X-Request-Id given to the consumer shows up in both containers\' logs', async () => {
    const requestId = `e2e-d4-container-${Date.now()}`;
    expect((await get(`${consumerBase}/`, { headers: { 'x-request-id': requestId } })).status).toBe(200);
    for (const service of ['users-consumer', 'users-service']) {
      await waitFor(`${requestId} in ${service} logs`, async () => ((await project.logs(service)).includes(`"requestId":"${requestId}"`) ? true : undefined), {
        timeoutMs: 10_000,
        intervalMs: 250,
      });
    }
  });

  it('both containers run unprivileged and are healthy; /health/ready of the consumer includes users-service', async () => {
    for (const service of ['users-service', 'users-consumer']) {
      const [id] = await project.containerIds(service);
      expect(await docker(['inspect', '-f', '{{.Config.User}} {{.State.Health.Status}}', id])).toBe('node healthy');
    }
    const ready = await get(`${consumerBase}/health/ready`);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ details: { 'users-service': { status: 'up' } } });
  });

  it('stop users-service → 503 within 2 s; start it → the same consumer serves the list again', async () => {
    const [consumerId] = await project.containerIds('users-consumer');
    const before = await docker(['inspect', '-f', '{{.State.StartedAt}} {{.RestartCount}}', consumerId]);

    await project.run(['stop', 'users-service']);
    for (let i = 0; i < 4; i++) {
      const page = await get(`${consumerBase}/`, { timeoutMs: 5000 });
      expect(page.status).toBe(503);
      expect(page.body).toContain('Serviço de usuários indisponível');
      expect(page.ms).toBeLessThan(2000);
    }
    expect((await get(`${consumerBase}/health/ready`)).status).toBe(503);

    await project.run(['start', 'users-service']);
    const recovered = await waitFor(
      'the list again',
      async () => {
        const page = await get(`${consumerBase}/`, { timeoutMs: 5000 });
        return page.status === 200 ? page : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(listItems(recovered.body).length).toBeGreaterThanOrEqual(3);
    // Not restarted, not recreated: the breaker's half-open trial found users-service again.
    expect((await project.containerIds('users-consumer'))).toEqual([consumerId]);
    expect(await docker(['inspect', '-f', '{{.State.StartedAt}} {{.RestartCount}}', consumerId])).toBe(before);
  });
});
