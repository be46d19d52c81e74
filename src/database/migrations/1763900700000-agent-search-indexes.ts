import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes that keep the list's filters as fast in a project of a million agents as in one of a
 * thousand: trigrams for `q` (ILIKE '%…%' on the name), and containment for `metadata[key]=value`.
 * Each leads with project_id (btree_gin), so that a search reads one project's entries only. Both
 * extensions are trusted (PostgreSQL 13+): the database's owner may create them.
 */
export class AgentSearchIndexes1763900700000 implements MigrationInterface {
  name = 'AgentSearchIndexes1763900700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gin`);
    await queryRunner.query(`CREATE INDEX "agents_name_trigrams" ON "agents" USING gin ("project_id", "name" gin_trgm_ops) WHERE deleted_at IS NULL`);
    await queryRunner.query(`CREATE INDEX "agents_metadata" ON "agents" USING gin ("project_id", "metadata" jsonb_path_ops) WHERE deleted_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "agents_metadata"`);
    await queryRunner.query(`DROP INDEX "agents_name_trigrams"`);
  }
}
