import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The single row (id 1) that counts visits to GET /. Created by the migration, never by synchronize. */
@Entity({ name: 'visitas' })
export class VisitCounter {
  static readonly ID = 1;

  @PrimaryColumn({ type: 'smallint' })
  id!: number;

  // bigint arrives from pg as a string (it may exceed 2^53); the counter never will, so a number is fine.
  @Column({ type: 'bigint', default: 0, transformer: { to: (value: number) => value, from: (value: string) => Number(value) } })
  total!: number;
}
