// Entry of the `agenthuman` command. Each subcommand lives in commands/<name>.ts; modules load lazily so `serve`
// never pays for `lipsync` and `sessions list` never loads the server. Summaries live here for the same reason.
import { EXIT_CODE_HELP } from './exit-codes.js';

type CommandModule = { run(args: string[]): Promise<number> };
type Entry = { summary: string; load: () => Promise<CommandModule> };

const withDefault = (load: () => Promise<{ default: CommandModule }>) => async () => (await load()).default;

const groups: [string, Record<string, Entry>][] = [
  [
    'Server',
    {
      serve: {
        summary: 'start the API server and dashboard (what `npm start` runs)',
        load: () => import('./commands/serve.js'),
      },
      api: {
        summary: 'scale-out: an API process (REST, /ws, rooms; media on workers)',
        load: () => import('./commands/api.js'),
      },
      worker: {
        summary: 'scale-out: a media worker, reached by API processes (AGENTHUMAN_WORKER_URL)',
        load: () => import('./commands/worker.js'),
      },
    },
  ],
  [
    'Account',
    {
      login: {
        summary: 'save the server URL and API key (checked first)',
        load: withDefault(() => import('./commands/login.js')),
      },
      logout: {
        summary: 'forget the saved API key',
        load: withDefault(() => import('./commands/logout.js')),
      },
      keys: {
        summary: 'API keys: list | create | deactivate | revoke',
        load: withDefault(() => import('./commands/keys.js')),
      },
      webhooks: {
        summary: 'webhook endpoints: list | create | delete | test | deliveries | replay | enable',
        load: withDefault(() => import('./commands/webhooks.js')),
      },
      usage: {
        summary: 'minutes, concurrency and plan for this period',
        load: withDefault(() => import('./commands/usage.js')),
      },
    },
  ],
  [
    'Avatars and sessions',
    {
      avatars: {
        summary: 'avatars: list | get | upload | delete',
        load: withDefault(() => import('./commands/avatars.js')),
      },
      sessions: {
        summary: 'sessions: create | list | get | end | delete',
        load: withDefault(() => import('./commands/sessions.js')),
      },
      say: {
        summary: 'make a live session speak text',
        load: withDefault(() => import('./commands/say.js')),
      },
      play: {
        summary: 'stream a WAV/PCM file into a live session',
        load: withDefault(() => import('./commands/play.js')),
      },
      attach: {
        summary: 'hold a live session open; say each line of stdin (text or a WAV path)',
        load: withDefault(() => import('./commands/attach.js')),
      },
    },
  ],
  [
    'Agents',
    {
      agents: {
        summary: 'agents: list | get | create | delete',
        load: withDefault(() => import('./commands/agents.js')),
      },
      links: {
        summary: 'links: list | get | create | pause | resume | delete',
        load: withDefault(() => import('./commands/links.js')),
      },
    },
  ],
  [
    'Tools',
    {
      lipsync: {
        summary: 'per-frame mouth parameters for a WAV or a text (like Rhubarb Lip Sync)',
        load: () => import('./commands/lipsync.js'),
      },
      render: {
        summary: 'render a talking avatar to .webm/.mp4 from a photo or avatar and audio or text',
        load: () => import('./commands/render.js'),
      },
    },
  ],
];

const commands: Record<string, Entry> = Object.assign({}, ...groups.map(([, entries]) => entries));

function help(): string {
  const lines = [
    'agenthuman: self-hosted talking avatars\n',
    'Usage: agenthuman <command> [subcommand] [flags]',
  ];
  for (const [title, entries] of groups) {
    lines.push(`\n${title}:`);
    for (const [name, entry] of Object.entries(entries)) lines.push(`  ${name.padEnd(10)} ${entry.summary}`);
  }
  lines.push(
    '\nEvery command takes --help; read commands take --json.',
    '\nConfiguration: "agenthuman login", or AGENTHUMAN_API_URL and AGENTHUMAN_API_KEY in the environment',
    '(they win over the saved file). With neither, a server started here (npm start) is used with its first key.',
    `\n${EXIT_CODE_HELP}`,
  );
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(help());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    console.log('agenthuman 0.1.0');
    return 0;
  }
  const entry = commands[name];
  if (!entry) {
    console.error(`agenthuman: unknown command "${name}" (see agenthuman --help)`);
    return 2;
  }
  return (await entry.load()).run(args);
}

process.exitCode = await main(process.argv.slice(2));
