import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The answer given to the first request with an Idempotency-Key, kept until `expiresAt`. */
@Entity({ name: 'idempotency_keys' })
@Index('idempotency_keys_expires', ['expiresAt'])
export class IdempotencyKeyOrmEntity {
  @PrimaryColumn('text', { name: 'project_id', primaryKeyConstraintName: 'idempotency_keys_pkey' })
  projectId: string;

  @PrimaryColumn('text', { name: 'api_key_id', primaryKeyConstraintName: 'idempotency_keys_pkey' })
  apiKeyId: string;

  @PrimaryColumn('text', { primaryKeyConstraintName: 'idempotency_keys_pkey' })
  key: string;

  /** SHA-256 of the request (method, path, body), to tell a retry from a reuse of the key. */
  @Column('bytea')
  fingerprint: Buffer;

  @Column('integer', { name: 'response_status' })
  responseStatus: number;

  @Column('jsonb', { name: 'response_headers' })
  responseHeaders: Record<string, string>;

  @Column('jsonb', { name: 'response_body' })
  responseBody: unknown;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;
}
