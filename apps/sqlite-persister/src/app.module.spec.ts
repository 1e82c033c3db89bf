import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { parseConfig, sqlitePersisterConfig } from '@desafios/config';
import { AppModule } from './app.module';
import { DatabaseError } from './database/database.error';
import { RegistrosService } from './registros/registros.service';

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
    expect(await first.get(RegistrosService).gravar('primeiro')).toBe(1);
    await first.close();
    expect(readdirSync(dir)).toEqual(['meubanco.db']);

    const second = await context(env);
    const registros = second.get(RegistrosService);
    expect(await registros.gravar('segundo', new Date('2026-01-31T12:00:00.123Z'))).toBe(2);
    const rows = await registros.listar();
    await second.close();
    expect(rows.map(({ id, mensagem }) => ({ id, mensagem }))).toEqual([
      { id: 1, mensagem: 'primeiro' },
      { id: 2, mensagem: 'segundo' },
    ]);
    // criado_em is read back as the same instant that was written (UTC, milliseconds kept).
    expect(rows[0].criadoEm.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1);
    expect(rows[1].criadoEm.toISOString()).toBe('2026-01-31T12:00:00.123Z');
  });

  it('fails to start with a DatabaseError on a bad DB_PATH, creating nothing', async () => {
    const error = await context({ DB_PATH: join(dir, 'falta', 'meubanco.db') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as Error).message).toContain('não existe');
    expect(readdirSync(dir)).toEqual([]);
  });
});
