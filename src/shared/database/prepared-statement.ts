import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';
import { activeTransaction } from './transaction-context.js';

/**
 * A statement of the hot path (every request runs it), sent as a named prepared statement on
 * TypeORM's own connections: PostgreSQL parses and plans it once per connection, not once per
 * request. Inside a transaction (transaction-context.ts) it runs on that transaction's connection.
 */
export class PreparedStatement<Row extends QueryResultRow> {
  constructor(
    private readonly name: string,
    private readonly text: string,
  ) {}

  async run(dataSource: DataSource, values: unknown[]): Promise<Row[]> {
    const transaction = activeTransaction()?.queryRunner as unknown as { connect(): Promise<PoolClient> } | undefined;
    const target: Pool | PoolClient = transaction ? await transaction.connect() : (dataSource.driver as unknown as { master: Pool }).master;
    const result = await target.query<Row>({ name: this.name, text: this.text, values });
    return result.rows;
  }
}
