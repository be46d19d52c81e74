import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many live agents each project has, kept by triggers, so that the list's total_count without
 * filters is a sum of a few rows instead of a count of every agent of the project. Spread over 16
 * rows per project (a random one per statement): concurrent creates in one project rarely wait for
 * the same row. Statement triggers with transition tables: a bulk insert costs one update per
 * project, and every writer (the service, the CLI, psql) is counted.
 */
export class AgentCounts1763900800000 implements MigrationInterface {
  name = 'AgentCounts1763900800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "agent_counts" (
        "project_id" text NOT NULL,
        "bucket" smallint NOT NULL,
        "live" bigint NOT NULL,
        CONSTRAINT "agent_counts_pkey" PRIMARY KEY ("project_id", "bucket"))
      WITH (fillfactor = 50)`);
    await queryRunner.query(`
      CREATE FUNCTION "count_live_agents"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO agent_counts (project_id, bucket, live)
          SELECT project_id, floor(random() * 16)::smallint, count(*) FROM new_rows WHERE deleted_at IS NULL GROUP BY project_id
          ON CONFLICT (project_id, bucket) DO UPDATE SET live = agent_counts.live + excluded.live;
        ELSIF TG_OP = 'DELETE' THEN
          INSERT INTO agent_counts (project_id, bucket, live)
          SELECT project_id, floor(random() * 16)::smallint, -count(*) FROM old_rows WHERE deleted_at IS NULL GROUP BY project_id
          ON CONFLICT (project_id, bucket) DO UPDATE SET live = agent_counts.live + excluded.live;
        ELSE
          -- A soft delete (deleted_at set) is the one update that changes whether a row is live.
          INSERT INTO agent_counts (project_id, bucket, live)
          SELECT change.project_id, floor(random() * 16)::smallint, sum(change.delta)
            FROM (SELECT new_rows.project_id,
                         (new_rows.deleted_at IS NULL)::int - (old_rows.deleted_at IS NULL)::int AS delta
                    FROM new_rows JOIN old_rows USING (project_id, id)) AS change
           WHERE change.delta <> 0
           GROUP BY change.project_id
          ON CONFLICT (project_id, bucket) DO UPDATE SET live = agent_counts.live + excluded.live;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER "agents_counted_on_insert" AFTER INSERT ON "agents"
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "count_live_agents"()`);
    await queryRunner.query(`
      CREATE TRIGGER "agents_counted_on_delete" AFTER DELETE ON "agents"
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "count_live_agents"()`);
    await queryRunner.query(`
      CREATE TRIGGER "agents_counted_on_update" AFTER UPDATE ON "agents"
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "count_live_agents"()`);
    await queryRunner.query(`
      INSERT INTO agent_counts (project_id, bucket, live)
      SELECT project_id, 0, count(*) FROM agents WHERE deleted_at IS NULL GROUP BY project_id`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "agents_counted_on_update" ON "agents"`);
    await queryRunner.query(`DROP TRIGGER "agents_counted_on_delete" ON "agents"`);
    await queryRunner.query(`DROP TRIGGER "agents_counted_on_insert" ON "agents"`);
    await queryRunner.query(`DROP FUNCTION "count_live_agents"()`);
    await queryRunner.query(`DROP TABLE "agent_counts"`);
  }
}
