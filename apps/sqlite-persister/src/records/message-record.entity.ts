import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One persisted message, a row of `registros` (table and column names are the ones the README
 * documents). The table is created by the migration CreateRegistros, never by `synchronize`: the
 * schema of a file that outlives the container must change only on purpose.
 */
@Entity({ name: 'registros' })
export class MessageRecord {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'mensagem', type: 'text' })
  message!: string;

  // The table declares `timestamp`; TypeORM's SQLite driver knows dates as `datetime` and stores
  // them as UTC text ("2026-01-31 12:00:00.000"), which is what it needs to read a Date back.
  @Column({ name: 'criado_em', type: 'datetime' })
  createdAt!: Date;
}
