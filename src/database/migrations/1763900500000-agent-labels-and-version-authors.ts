import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who made each version (null for the versions written before), and the labels that name versions
 * of an agent. A label is unique per agent (its primary key, project first), names a version the
 * agent has (a foreign key on the versions' unique name), and goes with its agent.
 */
export class AgentLabelsAndVersionAuthors1763900500000 implements MigrationInterface {
  name = 'AgentLabelsAndVersionAuthors1763900500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "agent_versions" ADD "created_by" jsonb`);
    await queryRunner.query(`
      CREATE TABLE "agent_labels" (
        "project_id" text NOT NULL,
        "agent_id" text NOT NULL,
        "name" text NOT NULL,
        "version" text NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "agent_labels_pkey" PRIMARY KEY ("project_id", "agent_id", "name"),
        CONSTRAINT "agent_labels_agent_fk" FOREIGN KEY ("project_id", "agent_id") REFERENCES "agents"("project_id", "id") ON DELETE CASCADE,
        CONSTRAINT "agent_labels_version_fk" FOREIGN KEY ("project_id", "agent_id", "version")
          REFERENCES "agent_versions"("project_id", "agent_id", "version") ON DELETE CASCADE)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "agent_labels"`);
    await queryRunner.query(`ALTER TABLE "agent_versions" DROP COLUMN "created_by"`);
  }
}
