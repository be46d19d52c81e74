/** SQLSTATE 23505 of node-postgres, whether raw or wrapped by TypeORM's QueryFailedError. */
export function uniqueViolationOf(error: unknown): { constraint: string } | null {
  const driverError = (error as { driverError?: unknown })?.driverError ?? error;
  const { code, constraint } = (driverError ?? {}) as { code?: unknown; constraint?: unknown };
  if (code !== '23505') return null;
  return { constraint: typeof constraint === 'string' ? constraint : '' };
}
