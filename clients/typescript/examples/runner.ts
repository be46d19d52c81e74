import { createAgentsClient } from '../src/index.js';

const client = createAgentsClient({ baseUrl: process.env.AGENTS_API_URL!, apiKey: process.env.AGENTS_API_KEY! });
const agentId = process.argv[2] ?? 'support-bot';
const stop = new AbortController();
process.once('SIGTERM', () => stop.abort());

const pinned = async () => (await client.getVersion(agentId, 'production')).version;
let running = await pinned();
console.log(`running ${agentId}@${running.version} on ${running.configuration.model}`);
for await (const event of client.events.follow({ subject: agentId, signal: stop.signal })) {
  const next = await pinned();
  if (next.version === running.version) continue;
  running = next;
  console.log(`${event.type} (${event.data.cause}): now ${running.version} on ${running.configuration.model}`);
}
