import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Workspaces, projects, their connected providers, API keys and agents. */
export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "workspaces" (
        "id" text NOT NULL,
        "name" text NOT NULL,
        "tier" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "workspaces_tier_check" CHECK (tier IN ('free', 'pro', 'team', 'enterprise')),
        CONSTRAINT "workspaces_pkey" PRIMARY KEY ("id"))`);
    await queryRunner.query(`
      CREATE TABLE "projects" (
        "id" text NOT NULL,
        "workspace_id" text NOT NULL,
        "name" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "projects_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "projects_workspace_fk" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`CREATE INDEX "projects_workspace" ON "projects" ("workspace_id")`);
    await queryRunner.query(`
      CREATE TABLE "workspace_model_providers" (
        "workspace_id" text NOT NULL,
        "provider_type" text NOT NULL,
        "models" text array NOT NULL DEFAULT '{}',
        "connected_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "workspace_model_providers_pkey" PRIMARY KEY ("workspace_id", "provider_type"),
        CONSTRAINT "workspace_model_providers_workspace_fk" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`
      CREATE TABLE "api_keys" (
        "id" text NOT NULL,
        "key_hash" bytea NOT NULL,
        "workspace_id" text NOT NULL,
        "project_id" text NOT NULL,
        "user_id" text NOT NULL,
        "scopes" text array NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "expires_at" TIMESTAMP WITH TIME ZONE,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "last_used_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "api_keys_workspace_fk" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
        CONSTRAINT "api_keys_project_fk" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`CREATE UNIQUE INDEX "api_keys_key_hash" ON "api_keys" ("key_hash")`);
    await queryRunner.query(`
      CREATE TABLE "agents" (
        "project_id" text NOT NULL,
        "id" text NOT NULL,
        "user_id" text NOT NULL,
        "name" text NOT NULL,
        "description" text,
        "model" text NOT NULL,
        "instructions" text,
        "execution_binary" jsonb,
        "reasoning_effort" text NOT NULL,
        "enabled_skills" text array NOT NULL DEFAULT '{}',
        "deep_research_model" text,
        "is_default" boolean NOT NULL DEFAULT false,
        "is_system" boolean NOT NULL DEFAULT false,
        "is_active" boolean NOT NULL DEFAULT true,
        "metadata" jsonb NOT NULL DEFAULT '{}',
        "config" jsonb NOT NULL DEFAULT '{}',
        "version" text NOT NULL,
        "revision" integer NOT NULL DEFAULT '1',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "last_run_at" TIMESTAMP WITH TIME ZONE,
        "deleted_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "agents_pkey" PRIMARY KEY ("project_id", "id"),
        CONSTRAINT "agents_project_fk" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    // One default agent per project, even under concurrent writes.
    await queryRunner.query(`CREATE UNIQUE INDEX "agents_one_default_per_project" ON "agents" ("project_id") WHERE is_default`);
    // Lists a project's live agents in creation order (either direction), for keyset pages.
    await queryRunner.query(`CREATE INDEX "agents_project_created" ON "agents" ("project_id", "created_at", "id") WHERE deleted_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['agents', 'api_keys', 'workspace_model_providers', 'projects', 'workspaces']) {
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
  }
}
