import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The model a workspace's agents get when a request names none (null: the catalog's default). */
export class WorkspaceDefaultModel1763900300000 implements MigrationInterface {
  name = 'WorkspaceDefaultModel1763900300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "workspaces" ADD COLUMN "default_model" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "workspaces" DROP COLUMN "default_model"`);
  }
}
