import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serviceEnvironment, type MintedKey } from './service-process.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLI_ENTRY = 'dist/src/cli/main.js';

/**
 * `node dist/src/cli/main.js api-keys create --workspace <id> --scopes agents:read,agents:write,internal --json`:
 * a key of a trusted service (it may set isDefault) in an existing workspace, its first project.
 */
export async function mintInternalKey(databaseUrl: string, workspaceId: string): Promise<MintedKey> {
  const args = [CLI_ENTRY, 'api-keys', 'create', '--workspace', workspaceId, '--scopes', 'agents:read,agents:write,internal', '--json'];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: serviceEnvironment({ DATABASE_URL: databaseUrl }), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolveCode) => child.on('exit', resolveCode));
  const line = stdout.trim().split('\n').reverse().find((text) => text.startsWith('{'));
  if (code !== 0 || line === undefined) throw new Error(`the CLI failed (exit ${code}):\n${stdout}\n${stderr}`);
  return JSON.parse(line) as MintedKey;
}
