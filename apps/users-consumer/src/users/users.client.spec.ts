import { HttpService } from '@nestjs/axios';
import { Logger } from '@nestjs/common';
import axios from 'axios';
import { Registry } from 'prom-client';
import { Agent } from 'undici';
import { UpstreamError } from '@desafios/http-upstream';
import { refusedUrl, StubUpstream } from '@desafios/http-upstream/testing';
import { seriesValue } from '@desafios/metrics/testing';
import type { UsersConsumerConfig } from '../app.config';
import { RETRY_DELAY_MS, UsersClient } from './users.client';
import { usersHttpOptions } from './users.module';

const USERS = [
  { id: 1, nome: 'Ana Souza', ativo_desde: '2019-03-11' },
  { id: 2, nome: 'Bruno Lima', ativo_desde: '2020-07-01' },
];

describe('UsersClient against a real HTTP upstream', () => {
  let stub: StubUpstream;
  const agents: Agent[] = [];
  /** The metrics registry of the client made last. */
  let registry: Registry;

  function client(overrides: Partial<UsersConsumerConfig> = {}, url = stub.url): UsersClient {
    const config: UsersConsumerConfig = {
      HOST: '127.0.0.1',
      PORT: 5000,
      METRICS_ENABLED: true,
      USERS_SERVICE_URL: url,
      USERS_TIMEOUT_MS: 300,
      USERS_RETRIES: 1,
      USERS_BREAKER_THRESHOLD: 3,
      USERS_BREAKER_COOLDOWN_MS: 400,
      ...overrides,
    };
    const agent = new Agent();
    agents.push(agent);
    registry = new Registry();
    return new UsersClient(new HttpService(axios.create(usersHttpOptions(config, agent))), config, registry);
  }

  /** One sample as Prometheus would scrape it now, e.g. `users_upstream_retries_total`. */
  const sample = async (series: string) => seriesValue(await registry.metrics(), series);
  const attempts = (outcome: string) => sample(`users_upstream_attempt_duration_seconds_count{outcome="${outcome}"}`);

  async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    return error as UpstreamError;
  }

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    stub = await new StubUpstream().listen();
  });

  afterEach(async () => {
    await Promise.all(agents.splice(0).map((agent) => agent.destroy()));
    await stub.close();
  });

  it('returns the validated list and forwards the request id', async () => {
    stub.reply(200, USERS);
    await expect(client().listUsers('req-abc')).resolves.toEqual(USERS);
    expect(stub.requests[0].url).toBe('/users');
    expect(stub.requests[0].headers['x-request-id']).toBe('req-abc');
  });

  it('reuses keep-alive connections across calls', async () => {
    stub.reply(200, USERS);
    const users = client();
    for (let i = 0; i < 10; i++) await users.listUsers(`req-${i}`);
    expect(stub.requests).toHaveLength(10);
    // undici's pool may open a second connection for the second call (the first counts as busy
    // until its 'drain' event); every later call reuses one of the two.
    expect(stub.connections).toBeLessThanOrEqual(2);
  });

  it('keeps the path of a base URL with a prefix', async () => {
    stub.reply(200, USERS);
    await client({}, `${stub.url}api/`).listUsers('r');
    expect(stub.requests[0].url).toBe('/api/users');
  });

  it.each([
    ['malformed JSON', '[{"id": 1, "nome": '],
    ['an object instead of a list', { users: USERS }],
    ['an id as text', [{ ...USERS[0], id: '1' }]],
    ['a date in another format', [{ ...USERS[0], ativo_desde: '11/03/2019' }]],
  ])('rejects %s as an invalid answer, without retrying', async (_, body) => {
    stub.reply(200, body);
    const error = await failure(client().listUsers('r'));
    expect(await attempts('off_contract')).toBe(1);
    expect(await sample('users_upstream_retries_total')).toBe(0);
    expect(error.kind).toBe('invalid-response');
    expect(stub.requests).toHaveLength(1);
  });

  it('treats an unexpected 404 as an invalid answer', async () => {
    stub.reply(404, { message: 'não encontrado' });
    expect((await failure(client().listUsers('r'))).kind).toBe('invalid-response');
  });

  it('retries a 503 once and succeeds when the second attempt works', async () => {
    let calls = 0;
    stub.handler = (_, response) => {
      calls += 1;
      response.writeHead(calls === 1 ? 503 : 200, { 'content-type': 'application/json' });
      response.end(calls === 1 ? '{}' : JSON.stringify(USERS));
    };
    await expect(client().listUsers('r')).resolves.toEqual(USERS);
    expect(stub.requests).toHaveLength(2);
    expect(stub.requests[1].headers['x-request-id']).toBe('r');
    expect(await attempts('no_answer')).toBe(1);
    expect(await attempts('ok')).toBe(1);
    expect(await sample('users_upstream_retries_total')).toBe(1);
  });

  it('gives up on a silent upstream within timeout × attempts, after exactly 1 + retries attempts', async () => {
    stub.hang();
    const started = performance.now();
    const error = await failure(client({ USERS_TIMEOUT_MS: 300, USERS_RETRIES: 1 }).listUsers('r'));
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({ kind: 'unavailable', reason: 'tempo esgotado' });
    expect(stub.requests).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(2 * 300);
    expect(elapsed).toBeLessThan(2 * 300 + RETRY_DELAY_MS + 400);
  });

  it('reports a refused connection as unavailable', async () => {
    const error = await failure(client({}, await refusedUrl()).listUsers('r'));
    expect(error).toMatchObject({ kind: 'unavailable', reason: 'ECONNREFUSED' });
  });

  it('opens the circuit after N failed calls and then fails at once without calling', async () => {
    stub.reply(500, {});
    const users = client({ USERS_RETRIES: 0, USERS_BREAKER_THRESHOLD: 2, USERS_BREAKER_COOLDOWN_MS: 10_000 });
    await failure(users.listUsers('1'));
    await failure(users.listUsers('2'));
    expect(users.breakerState).toBe('open');
    const started = performance.now();
    const error = await failure(users.listUsers('3'));
    expect(error).toMatchObject({ kind: 'unavailable', reason: 'circuito aberto' });
    expect(error.retryAfterMs).toBeGreaterThan(9000);
    expect(performance.now() - started).toBeLessThan(50);
    expect(stub.requests).toHaveLength(2);
  });

  it('lets one trial through after the cool-down and closes when it succeeds', async () => {
    stub.reply(500, {});
    const users = client({ USERS_RETRIES: 2, USERS_BREAKER_THRESHOLD: 1, USERS_BREAKER_COOLDOWN_MS: 200 });
    await failure(users.listUsers('1'));
    expect(stub.requests).toHaveLength(3);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(users.breakerState).toBe('half-open');
    // A failed trial is a single attempt and reopens the circuit.
    await failure(users.listUsers('2'));
    expect(stub.requests).toHaveLength(4);
    expect(users.breakerState).toBe('open');
    expect(await sample('users_upstream_breaker_state')).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await sample('users_upstream_breaker_state')).toBe(1);
    stub.reply(200, USERS);
    await expect(users.listUsers('3')).resolves.toEqual(USERS);
    expect(users.breakerState).toBe('closed');
    expect(await sample('users_upstream_breaker_state')).toBe(0);
    // Opened by the first call, then twice through half-open: reopened once, closed once.
    expect(await sample('users_upstream_breaker_transitions_total{to="open"}')).toBe(2);
    expect(await sample('users_upstream_breaker_transitions_total{to="half-open"}')).toBe(2);
    expect(await sample('users_upstream_breaker_transitions_total{to="closed"}')).toBe(1);
    expect(await attempts('no_answer')).toBe(4);
    expect(await sample('users_upstream_retries_total')).toBe(2);
  });

  it('does not count an off-contract answer against the circuit', async () => {
    stub.reply(200, 'não é json');
    const users = client({ USERS_BREAKER_THRESHOLD: 1 });
    await failure(users.listUsers('1'));
    expect(users.breakerState).toBe('closed');
  });

  it('counts an off-contract answer as a sign of life: it resets the consecutive failures', async () => {
    const users = client({ USERS_BREAKER_THRESHOLD: 2, USERS_RETRIES: 0 });
    stub.reply(503, { erro: 'fora' });
    await failure(users.listUsers('1'));
    stub.reply(200, 'não é json');
    await failure(users.listUsers('2'));
    stub.reply(503, { erro: 'fora' });
    await failure(users.listUsers('3'));
    // Two failures, but not consecutive: the answer in between reset the count.
    expect(users.breakerState).toBe('closed');
    await failure(users.listUsers('4'));
    expect(users.breakerState).toBe('open');
  });

  it('ping resolves only while /health/ready answers 200', async () => {
    stub.reply(200, { status: 'ok' });
    await expect(client().ping(AbortSignal.timeout(500))).resolves.toBeUndefined();
    expect(stub.requests[0].url).toBe('/health/ready');
    stub.reply(503, { status: 'error' });
    await expect(client().ping(AbortSignal.timeout(500))).rejects.toThrow('503');
  });
});
