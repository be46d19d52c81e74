import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The agent events outbox. A change writes its event in its own transaction, without a position;
 * the sequencer gives positions after commit, in the order the events were written, one run at a
 * time (it holds the counter's row lock), so a position never becomes visible behind one a reader
 * has passed. Only positioned events are ever read.
 */
export class AgentEvents1763900400000 implements MigrationInterface {
  name = 'AgentEvents1763900400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "agent_events" (
        "project_id" text NOT NULL,
        "seq" bigint GENERATED ALWAYS AS IDENTITY,
        "position" bigint,
        "id" text NOT NULL,
        "type" text NOT NULL,
        "subject" text NOT NULL,
        "workspace_id" text NOT NULL,
        "time" TIMESTAMP WITH TIME ZONE NOT NULL,
        "data" json NOT NULL,
        CONSTRAINT "agent_events_pkey" PRIMARY KEY ("project_id", "seq"))`);
    // What the sequencer has still to number: small, since it holds the unpositioned rows only.
    await queryRunner.query(`CREATE INDEX "agent_events_pending" ON "agent_events" ("seq") WHERE "position" IS NULL`);
    // A project's feed, and its feed for one agent; then every project's events in order (the live
    // streams, the NATS relay, the janitor). Partial, so that a change's insert (no position yet)
    // writes no entry in them: only the sequencer's update does.
    await queryRunner.query(`CREATE UNIQUE INDEX "agent_events_project_position" ON "agent_events" ("project_id", "position") WHERE "position" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "agent_events_project_subject_position" ON "agent_events" ("project_id", "subject", "position") WHERE "position" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "agent_events_position" ON "agent_events" ("position") WHERE "position" IS NOT NULL`);
    // The last position given; one row, updated (and row-locked) by each run of the sequencer.
    await queryRunner.query(`
      CREATE TABLE "agent_event_counter" (
        "singleton" boolean NOT NULL DEFAULT true,
        "last_position" bigint NOT NULL DEFAULT 0,
        CONSTRAINT "agent_event_counter_pkey" PRIMARY KEY ("singleton"),
        CONSTRAINT "agent_event_counter_singleton" CHECK ("singleton"))`);
    await queryRunner.query(`INSERT INTO "agent_event_counter" DEFAULT VALUES`);
    // Per project, the last position that retention removed: an older cursor is 410 cursor_expired.
    await queryRunner.query(`
      CREATE TABLE "agent_event_horizons" (
        "project_id" text NOT NULL,
        "expired_through" bigint NOT NULL,
        CONSTRAINT "agent_event_horizons_pkey" PRIMARY KEY ("project_id"))`);
    // Per NATS stream, the last position JetStream acknowledged.
    await queryRunner.query(`
      CREATE TABLE "agent_event_relays" (
        "stream" text NOT NULL,
        "published_through" bigint NOT NULL DEFAULT 0,
        CONSTRAINT "agent_event_relays_pkey" PRIMARY KEY ("stream"))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "agent_event_relays"`);
    await queryRunner.query(`DROP TABLE "agent_event_horizons"`);
    await queryRunner.query(`DROP TABLE "agent_event_counter"`);
    await queryRunner.query(`DROP TABLE "agent_events"`);
  }
}
