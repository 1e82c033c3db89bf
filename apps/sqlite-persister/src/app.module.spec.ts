import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { parseConfig } from '@desafios/config';
import { sqlitePersisterConfig } from './app.config';
import { AppModule } from './app.module';
import { DatabaseError } from './database/database.error';
import { RecordsService } from './records/records.service';

/** The module as main.ts wires it, on a real file in a temp folder. */
describe('AppModule', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-app-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function context(env: NodeJS.ProcessEnv) {
    const config = parseConfig(sqlitePersisterConfig, env);
    return NestFactory.createApplicationContext(AppModule.register(config), { logger: false, abortOnError: false });
  }

  it('inserts and lists rows, and they outlive the application context', async () => {
    const env = { DB_PATH: join(dir, 'meubanco.db') };
    const first = await context(env);
    const before = new Date();
    expect(await first.get(RecordsService).save('primeiro')).toBe(1);
    await first.close();
    expect(readdirSync(dir)).toEqual(['meubanco.db']);

    const second = await context(env);
    const records = second.get(RecordsService);
    expect(await records.save('segundo', new Date('2026-01-31T12:00:00.123Z'))).toBe(2);
    const { rows } = await records.latest(10);
    await second.close();
    expect(rows.map(({ id, message }) => ({ id, message }))).toEqual([
      { id: 1, message: 'primeiro' },
      { id: 2, message: 'segundo' },
    ]);
    // criado_em is read back as the same instant that was written (UTC, milliseconds kept).
    expect(rows[0].createdAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1);
    expect(rows[1].createdAt.toISOString()).toBe('2026-01-31T12:00:00.123Z');
  });

  it('reads the newest rows and the total without loading the table', async () => {
    const app = await context({ DB_PATH: join(dir, 'meubanco.db') });
    const records = app.get(RecordsService);
    for (let i = 1; i <= 25; i++) await records.save(`m${i}`);
    const { rows, total } = await records.latest(10);
    await app.close();
    expect(total).toBe(25);
    expect(rows.map((row) => row.id)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
  });

  it('fails to start with a DatabaseError on a bad DB_PATH, creating nothing', async () => {
    const error = await context({ DB_PATH: join(dir, 'falta', 'meubanco.db') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as Error).message).toContain('não existe');
    expect(readdirSync(dir)).toEqual([]);
  });
});
