import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The first answer to each Idempotency-Key of each API key, replayed to its retries. */
export class IdempotencyKeys1763900200000 implements MigrationInterface {
  name = 'IdempotencyKeys1763900200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "idempotency_keys" (
        "project_id" text NOT NULL,
        "api_key_id" text NOT NULL,
        "key" text NOT NULL,
        "fingerprint" bytea NOT NULL,
        "response_status" integer NOT NULL,
        "response_headers" jsonb NOT NULL,
        "response_body" jsonb NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("project_id", "api_key_id", "key"))`);
    // The janitor deletes expired keys by this index.
    await queryRunner.query(`CREATE INDEX "idempotency_keys_expires" ON "idempotency_keys" ("expires_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
  }
}
