/**
 * @module `agenthuman login` / `logout`: checks the key against the server, then saves URL and key to the
 * user's config file (mode 0600). The environment (AGENTHUMAN_API_KEY, AGENTHUMAN_API_URL) still wins.
 */
import { createInterface } from 'node:readline/promises';
import { AgentHuman } from '@agenthuman/sdk';
import { readSavedConfig, removeSavedKey, resolveConfig, writeSavedConfig } from '../cli-config.js';
import { defineCommand, UsageError } from '../command-kit.js';
import { out } from '../terminal/style.js';
import { renderFields } from '../terminal/table.js';

export const login = defineCommand('login', {
  usage: '[--url URL] [--key KEY | < keyfile] [--status]',
  summary: 'save the server URL and API key for the other commands (checked first)',
  details:
    'The key is read from --key, from stdin when it is piped, or asked for.\n' +
    'Saved to $XDG_CONFIG_HOME/agenthuman/config.json (default ~/.config), readable only by you.\n' +
    'AGENTHUMAN_API_KEY and AGENTHUMAN_API_URL in the environment take precedence over the file.\n\n' +
    'Examples:\n  agenthuman login --url http://localhost:8080\n  echo "$KEY" | agenthuman login --url https://avatars.example.com',
  options: {
    url: { type: 'string', description: 'server URL (default: saved one or http://127.0.0.1:8080)' },
    key: { type: 'string', description: 'API key (avoid: it lands in shell history)' },
    status: { type: 'boolean', description: 'show what is configured and where it comes from' },
  },
  async run({ values, print }) {
    if (values.status) {
      const config = resolveConfig();
      print(
        renderFields([
          ['server', `${config.apiUrl} ${out.dim(`(${config.source.apiUrl})`)}`],
          [
            'key',
            config.apiKey
              ? `${config.apiKey.slice(0, 12)}… ${out.dim(`(${config.source.apiKey})`)}`
              : 'none — run agenthuman login',
          ],
          ['config file', config.configFile],
        ]),
      );
      return 0;
    }
    const saved = readSavedConfig();
    const url = ((values.url as string | undefined) ?? saved.api_url ?? resolveConfig().apiUrl).replace(
      /\/+$/,
      '',
    );
    if (!/^https?:\/\//.test(url)) throw new UsageError('--url must start with http:// or https://');
    const key = (values.key as string | undefined) ?? (await readKey());
    if (!key) throw new UsageError('no API key given');
    const client = new AgentHuman({ baseUrl: url, apiKey: key, retry: { maxRetries: 0 } });
    const usage = await client.usage.get();
    writeSavedConfig({ ...saved, api_url: url, api_key: key });
    print(
      `${out.green('✓')} logged in to ${url} (plan ${usage.plan.name}); saved to ${resolveConfig().configFile}`,
    );
    return 0;
  },
});

export const logout = defineCommand('logout', {
  usage: '',
  summary: 'forget the saved API key',
  async run({ print }) {
    removeSavedKey();
    print(`${out.green('✓')} saved key removed`);
    return 0;
  },
});

async function readKey(): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    return text.trim();
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question('API key (ah_live_… / ah_test_…): ')).trim();
  } finally {
    rl.close();
  }
}

export default login;
