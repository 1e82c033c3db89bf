import { MigrationInterface, QueryRunner } from 'typeorm';

/** Creates the visit counter with its one row, so that counting is a single atomic UPDATE. */
export class CreateVisitas1764201600000 implements MigrationInterface {
  name = 'CreateVisitas1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "visitas" ("id" smallint PRIMARY KEY, "total" bigint NOT NULL DEFAULT 0 CHECK ("total" >= 0))',
    );
    await queryRunner.query('INSERT INTO "visitas" ("id", "total") VALUES (1, 0)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "visitas"');
  }
}
