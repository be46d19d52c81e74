// The DataSource the TypeORM CLI uses (npm run migration:run / migration:generate, after a build).
import { DataSource } from 'typeorm';
import { loadEnvironment } from './src/config/environment.js';
import { dataSourceOptions } from './src/database/data-source-options.js';

const environment = loadEnvironment(process.env);
if (!environment.databaseUrl) throw new Error('DATABASE_URL must be set for the TypeORM CLI');

export default new DataSource(dataSourceOptions({ ...environment.database, url: environment.databaseUrl }));
