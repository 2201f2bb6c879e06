/**
 * @module `agenthuman keys create|list|deactivate|revoke`: talks to the running server over HTTP (the embedded
 * database belongs to that one process). The key comes from AGENTHUMAN_API_KEY or the bootstrap key file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { bootstrapKeyFile, loadClientConfig } from '@agenthuman/server';

export const summary =
  'manage API keys on the running server: create [--name N] [--test] | list | deactivate <id> | revoke <id>';

type ApiKeyView = {
  key_id: string;
  name: string;
  prefix: string;
  status: string;
  created_at: string;
  last_used_at: string | null;
};

export async function run(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  const client = loadClientConfig();
  const file = bootstrapKeyFile(client.dataDir);
  const apiKey = client.apiKey ?? (existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined);
  if (!apiKey) {
    console.error(
      `No API key: set AGENTHUMAN_API_KEY or run from the directory whose data dir holds ${file}`,
    );
    return 1;
  }
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${client.serverUrl}${path}`, {
      method,
      headers: { 'x-api-key': apiKey, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    }).catch((error: unknown) => {
      throw new Error(
        `cannot reach the server at ${client.serverUrl} (is it running? set AGENTHUMAN_URL): ${String(error)}`,
      );
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${response.status}: ${JSON.stringify(json.error ?? json)}`);
    return json;
  };

  try {
    if (action === 'list') {
      const { api_keys } = (await call('GET', '/v1/api-keys')) as { api_keys: ApiKeyView[] };
      for (const k of api_keys) {
        console.log(
          `${k.key_id}  ${k.status.padEnd(11)}  ${k.prefix.padEnd(14)}  ${k.created_at}  ${k.name}`,
        );
      }
      return 0;
    }
    if (action === 'create') {
      const name = flagValue(rest, '--name');
      const reply = (await call('POST', '/v1/api-keys', {
        ...(name && { name }),
        environment: rest.includes('--test') ? 'test' : 'live',
      })) as { api_key: ApiKeyView & { key: string } };
      console.log(`${reply.api_key.key_id} created. The key (shown only now):\n\n  ${reply.api_key.key}\n`);
      return 0;
    }
    if ((action === 'revoke' || action === 'deactivate') && rest[0]) {
      const id = encodeURIComponent(rest[0]);
      if (action === 'revoke') await call('DELETE', `/v1/api-keys/${id}`);
      else await call('POST', `/v1/api-keys/${id}/deactivate`);
      console.log(`${rest[0]} ${action === 'revoke' ? 'revoked (deleted)' : 'deactivated'}`);
      return 0;
    }
  } catch (error) {
    console.error(`agenthuman keys: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  console.error(`Usage: agenthuman keys ${summary.split(': ')[1]}`);
  return 2;
}

function flagValue(args: string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  return index >= 0 ? args[index + 1] : undefined;
}
