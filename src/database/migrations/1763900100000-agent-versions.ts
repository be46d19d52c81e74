import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The immutable versions of each agent's configuration. */
export class AgentVersions1763900100000 implements MigrationInterface {
  name = 'AgentVersions1763900100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "agent_versions" (
        "project_id" text NOT NULL,
        "agent_id" text NOT NULL,
        "number" integer NOT NULL,
        "version" text NOT NULL,
        "configuration" jsonb NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "agent_versions_pkey" PRIMARY KEY ("project_id", "agent_id", "number"),
        CONSTRAINT "agent_versions_agent_fk" FOREIGN KEY ("project_id", "agent_id") REFERENCES "agents"("project_id", "id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    // A version name is used once per agent.
    await queryRunner.query(`CREATE UNIQUE INDEX "agent_versions_version" ON "agent_versions" ("project_id", "agent_id", "version")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "agent_versions"`);
  }
}
