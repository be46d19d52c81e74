import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

// The raw string, not implicit conversion's Boolean('false') === true.
const toBoolean = ({ obj, key }: { obj: Record<string, unknown>; key: string }) =>
  obj[key] === 'true' ? true : obj[key] === 'false' ? false : obj[key];

/** Every environment variable the service reads, with its default; see the README's table. */
class EnvironmentVariables {
  @IsInt() @Min(0) @Max(65_535)
  PORT: number = 3000;

  @IsString()
  HOST: string = '0.0.0.0';

  @IsOptional() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsInt() @Min(1) @Max(1_000)
  DATABASE_POOL_SIZE: number = 10;

  @IsInt() @Min(100)
  DATABASE_STATEMENT_TIMEOUT_MS: number = 5_000;

  @IsString()
  EMBEDDED_PG_DIR: string = './.data/postgres';

  @IsInt() @Min(1) @Max(65_535)
  EMBEDDED_PG_PORT: number = 54_329;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @Transform(toBoolean) @IsBoolean()
  DOCS_ENABLED: boolean = true;
}

export interface Environment {
  readonly port: number;
  readonly host: string;
  /** Unset: the service runs its own embedded PostgreSQL. */
  readonly databaseUrl: string | undefined;
  readonly database: { readonly poolSize: number; readonly statementTimeoutMs: number };
  readonly embeddedPostgres: { readonly dataDir: string; readonly port: number };
  readonly logLevel: string;
  readonly docsEnabled: boolean;
}

/** Reads and checks the environment once, at start; a bad value stops the service, named. */
export function loadEnvironment(source: NodeJS.ProcessEnv): Environment {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const variables = plainToInstance(EnvironmentVariables, present, { enableImplicitConversion: true });
  const errors = validateSync(variables, { whitelist: false });
  if (errors.length > 0) {
    const problems = errors.map((error) => `${error.property}=${JSON.stringify(source[error.property])}: ${Object.values(error.constraints ?? {}).join('; ')}`);
    throw new Error(`Invalid environment:\n  ${problems.join('\n  ')}`);
  }
  return {
    port: variables.PORT,
    host: variables.HOST,
    databaseUrl: variables.DATABASE_URL,
    database: { poolSize: variables.DATABASE_POOL_SIZE, statementTimeoutMs: variables.DATABASE_STATEMENT_TIMEOUT_MS },
    embeddedPostgres: { dataDir: variables.EMBEDDED_PG_DIR, port: variables.EMBEDDED_PG_PORT },
    logLevel: variables.LOG_LEVEL,
    docsEnabled: variables.DOCS_ENABLED,
  };
}
