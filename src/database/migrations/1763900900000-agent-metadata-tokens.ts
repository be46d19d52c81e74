import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * metadata[key]=value as flat in a project of a million agents as in one of a thousand. The GIN
 * index on (project_id, metadata) intersected the project's entry, a posting list of every agent of
 * the project, with the pair's: its cost grew with the project. Here each of an agent's top-level
 * string pairs is one key that names its project too (an md5, so that no value is too long for an
 * index key), and a filter reads only the agents of its project that hold the pair. Without
 * fastupdate: an agent adds a token or two, which go straight into the index, rather than to a
 * pending list of up to 4 MB that every filter would read until a vacuum merges it.
 */
export class AgentMetadataTokens1763900900000 implements MigrationInterface {
  name = 'AgentMetadataTokens1763900900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION agent_metadata_tokens(project_id text, metadata jsonb) RETURNS text[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$
          SELECT ARRAY(
            SELECT md5(project_id || chr(31) || pair.key || chr(31) || (pair.value #>> '{}'))
              FROM jsonb_each(metadata) AS pair
             WHERE jsonb_typeof(pair.value) = 'string'
          )
        $$`);
    await queryRunner.query(`CREATE INDEX "agents_metadata_tokens" ON "agents" USING gin (agent_metadata_tokens(project_id, metadata)) WITH (fastupdate = off) WHERE deleted_at IS NULL`);
    await queryRunner.query(`DROP INDEX "agents_metadata"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "agents_metadata" ON "agents" USING gin ("project_id", "metadata" jsonb_path_ops) WHERE deleted_at IS NULL`);
    await queryRunner.query(`DROP INDEX "agents_metadata_tokens"`);
    await queryRunner.query(`DROP FUNCTION agent_metadata_tokens(text, jsonb)`);
  }
}
