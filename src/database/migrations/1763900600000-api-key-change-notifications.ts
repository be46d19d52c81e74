import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change that alters what an API key may do NOTIFYs `api_key_changes`, whoever makes it (an
 * instance, the CLI, a person at psql): each instance's key cache empties at once. Not
 * last_used_at, which every instance writes every 30 s and which changes nothing a key may do.
 */
export class ApiKeyChangeNotifications1763900600000 implements MigrationInterface {
  name = 'ApiKeyChangeNotifications1763900600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION "notify_api_key_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('api_key_changes', TG_TABLE_NAME);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER "api_keys_changed"
        AFTER UPDATE OF "key_hash", "workspace_id", "project_id", "user_id", "scopes", "expires_at", "revoked_at" OR DELETE ON "api_keys"
        FOR EACH STATEMENT EXECUTE FUNCTION "notify_api_key_change"()`);
    await queryRunner.query(`
      CREATE TRIGGER "workspace_tier_changed" AFTER UPDATE OF "tier" OR DELETE ON "workspaces"
        FOR EACH STATEMENT EXECUTE FUNCTION "notify_api_key_change"()`);
    await queryRunner.query(`
      CREATE TRIGGER "workspace_providers_changed" AFTER INSERT OR UPDATE OR DELETE ON "workspace_model_providers"
        FOR EACH STATEMENT EXECUTE FUNCTION "notify_api_key_change"()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "workspace_providers_changed" ON "workspace_model_providers"`);
    await queryRunner.query(`DROP TRIGGER "workspace_tier_changed" ON "workspaces"`);
    await queryRunner.query(`DROP TRIGGER "api_keys_changed" ON "api_keys"`);
    await queryRunner.query(`DROP FUNCTION "notify_api_key_change"()`);
  }
}
