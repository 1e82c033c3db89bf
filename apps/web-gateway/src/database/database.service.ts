import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { VisitCounter } from './visit-counter.entity';

@Injectable()
export class DatabaseService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The server's own description, e.g. "PostgreSQL 17.6 (Debian 17.6-1.pgdg13+1) on x86_64…". */
  async version(): Promise<string> {
    const rows: { version: string }[] = await this.dataSource.query('SELECT version() AS version');
    return rows[0].version;
  }

  /**
   * What the page shows from PostgreSQL, in one statement (one round trip): the server's version
   * and the visit total, adding this visit first when `countVisit` (UPDATE … SET total = total + 1
   * RETURNING, so concurrent requests never lose a count). The version comes back even when the
   * counter row is missing (`total` null): the server answered, the counter did not.
   */
  async visit({ countVisit }: { countVisit: boolean }): Promise<{ version: string; total: number | null }> {
    const rows: { version: string; total: string | null }[] = await this.dataSource.query(
      countVisit ? COUNT_VISIT : READ_VISITS,
      [VisitCounter.ID],
    );
    const [{ version, total }] = rows;
    return { version, total: total === null ? null : Number(total) };
  }
}

const COUNT_VISIT = `WITH counted AS (UPDATE visitas SET total = total + 1 WHERE id = $1 RETURNING total)
  SELECT version() AS version, (SELECT total FROM counted) AS total`;
const READ_VISITS = 'SELECT version() AS version, (SELECT total FROM visitas WHERE id = $1) AS total';
