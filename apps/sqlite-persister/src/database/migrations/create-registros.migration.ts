import { MigrationInterface, QueryRunner } from 'typeorm';

/** Creates the `registros` table. The class name ends in the timestamp TypeORM orders migrations by. */
export class CreateRegistros1764201600000 implements MigrationInterface {
  name = 'CreateRegistros1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "registros" (
        "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
        "mensagem" text NOT NULL,
        "criado_em" timestamp NOT NULL
      )`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "registros"`);
  }
}
