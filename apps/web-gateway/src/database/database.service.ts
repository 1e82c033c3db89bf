import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { VisitCounter } from './visit-counter.entity';

@Injectable()
export class DatabaseService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(VisitCounter) private readonly visits: Repository<VisitCounter>,
  ) {}

  /** The server's own description, e.g. "PostgreSQL 17.6 (Debian 17.6-1.pgdg13+1) on x86_64…". */
  async version(): Promise<string> {
    const rows: { version: string }[] = await this.dataSource.query('SELECT version() AS version');
    return rows[0].version;
  }

  /**
   * Adds one visit and returns the new total. One UPDATE … SET total = total + 1 RETURNING, so
   * concurrent requests never lose a count (no read-modify-write in the app).
   */
  async countVisit(): Promise<number> {
    const result = await this.visits
      .createQueryBuilder()
      .update(VisitCounter)
      .set({ total: () => '"total" + 1' })
      .where('id = :id', { id: VisitCounter.ID })
      .returning(['total'])
      .execute();
    const rows = result.raw as { total: string }[];
    if (rows.length !== 1) throw new Error('contador de visitas ausente (as migrações rodaram?)');
    return Number(rows[0].total);
  }

  /** The current total, without counting a visit. */
  async visitCount(): Promise<number> {
    const row = await this.visits.findOneBy({ id: VisitCounter.ID });
    if (!row) throw new Error('contador de visitas ausente (as migrações rodaram?)');
    return row.total;
  }
}
