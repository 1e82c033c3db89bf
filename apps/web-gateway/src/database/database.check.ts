import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '@desafios/config';
import type { DependencyIndicator } from '@desafios/health';
import { WebGatewayConfig } from '../app.config';
import { CheckResult, healthOf, runCheck } from '../common/dependency-check';
import { GatewayMetrics } from '../metrics/gateway.metrics';

export type DatabaseResult = CheckResult & { versao?: string };
export type VisitsResult = CheckResult & { total?: number };

const DB = 'db (PostgreSQL)';
/** The counter's one row, created by the migration, so that counting is a single atomic UPDATE. */
const COUNTER_ID = 1;
// One statement, one round trip: the server's version and the visit total. Counting is
// `UPDATE … SET total = total + 1 RETURNING`, so concurrent requests never lose a count; the version
// comes back even when the counter row is missing (total null): the server answered, the counter did not.
const COUNT_VISIT = `WITH counted AS (UPDATE visitas SET total = total + 1 WHERE id = $1 RETURNING total)
  SELECT version() AS versao, (SELECT total FROM counted) AS total`;
const READ_VISITS = 'SELECT version() AS versao, (SELECT total FROM visitas WHERE id = $1) AS total';
const MISSING_COUNTER = 'contador de visitas ausente (as migrações rodaram?)';

/** PostgreSQL, checked within CHECK_TIMEOUT_MS: for the status page and for /health/ready. */
@Injectable()
export class DatabaseCheck implements DependencyIndicator {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: WebGatewayConfig,
    private readonly metrics: GatewayMetrics,
  ) {}

  /**
   * The page's part of PostgreSQL, from one statement: the server (its version) and the visit
   * counter (its total, this visit counted when `countVisit`), each with its own verdict. A statement
   * that fails or times out fails both.
   */
  async status({ countVisit }: { countVisit: boolean }): Promise<{ db: DatabaseResult; visitas: VisitsResult }> {
    const { total, ...db } = await runCheck(DB, this.config.CHECK_TIMEOUT_MS, () => this.visit({ countVisit }));
    const visitas: VisitsResult = !db.ok
      ? db
      : total === null ? { ok: false, ms: db.ms, erro: MISSING_COUNTER } : { ok: true, ms: db.ms, total };
    if (visitas.total !== undefined) this.metrics.visits(visitas.total, { counted: countVisit });
    return { db: this.metrics.check('db', db), visitas: this.metrics.check('visits', visitas) };
  }

  /** /health/ready: the server answers a query in time (the counter is the page's business). */
  async check(): Promise<HealthIndicatorResult> {
    const db = this.metrics.check('db', await runCheck(DB, this.config.CHECK_TIMEOUT_MS, () => this.version()));
    return healthOf('db', db, { version: db.versao });
  }

  /** The server's own description, e.g. "PostgreSQL 17.6 (Debian 17.6-1.pgdg13+1) on x86_64…". */
  async version(): Promise<{ versao: string }> {
    const [row]: { versao: string }[] = await this.dataSource.query('SELECT version() AS versao');
    return row;
  }

  /** The version and the visit total (null when the counter row is missing), counting this visit first when asked. */
  async visit({ countVisit }: { countVisit: boolean }): Promise<{ versao: string; total: number | null }> {
    const [{ versao, total }]: { versao: string; total: string | null }[] = await this.dataSource.query(
      countVisit ? COUNT_VISIT : READ_VISITS,
      [COUNTER_ID],
    );
    // bigint arrives from pg as a string (it may exceed 2^53); the counter never will.
    return { versao, total: total === null ? null : Number(total) };
  }
}
