/**
 * @module How API commands are declared: a group of subcommands (or a single action), each with its usage line,
 * flags (parsed by node:util parseArgs, strict), and a run function. The kit adds `--help` everywhere, `--json`
 * where asked, turns API errors into a readable message with code and suggestion, and picks the exit code.
 */
import { parseArgs } from 'node:util';
import { AgentHuman, AgentHumanError } from '@agenthuman/sdk';
import { resolveConfig } from './cli-config.js';
import { EXIT, exitCodeFor, HINTS } from './exit-codes.js';
import { err } from './terminal/style.js';

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };

export type ActionContext = {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  json: boolean;
  /** The SDK client for the configured server and key. */
  client(): AgentHuman;
  print(text: string): void;
  /** Prints pretty JSON; returns exit code 0 so `return printJson(x)` ends an action. */
  printJson(value: unknown): number;
};

export type Action = {
  /** e.g. `<session_id> [--json]`, shown after the command name. */
  usage: string;
  summary: string;
  /** Longer help, examples. */
  details?: string;
  options?: Record<string, OptionSpec & { description: string }>;
  /** Adds `--json` (read commands). */
  json?: boolean;
  /** Positionals required. */
  minPositionals?: number;
  run(ctx: ActionContext): Promise<number | undefined>;
};

export type CommandModule = { summary: string; run(args: string[]): Promise<number> };

export class UsageError extends Error {}

/** `agenthuman <name> <sub> …` */
export function defineGroup(name: string, summary: string, actions: Record<string, Action>): CommandModule {
  const help = () =>
    [
      `${summary}\n`,
      'Usage:',
      ...Object.entries(actions).map(
        ([sub, action]) =>
          `${`  agenthuman ${name} ${sub} ${action.usage}`.trimEnd()}\n      ${action.summary}`,
      ),
      `\nRun "agenthuman ${name} <subcommand> --help" for its flags.`,
    ].join('\n');
  return {
    summary,
    async run(args) {
      const [sub, ...rest] = args;
      if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
        console.log(help());
        return EXIT.OK;
      }
      const action = actions[sub];
      if (!action) {
        console.error(`${err.red('error:')} unknown subcommand "${name} ${sub}"\n\n${help()}`);
        return EXIT.USAGE;
      }
      return runAction(`${name} ${sub}`, action, rest);
    },
  };
}

/** `agenthuman <name> …` with no subcommands. */
export function defineCommand(name: string, action: Action): CommandModule {
  return { summary: action.summary, run: (args) => runAction(name, action, args) };
}

async function runAction(path: string, action: Action, args: string[]): Promise<number> {
  const options: Record<string, OptionSpec> = { help: { type: 'boolean', short: 'h' } };
  if (action.json) options.json = { type: 'boolean' };
  for (const [key, spec] of Object.entries(action.options ?? {})) {
    options[key] = { type: spec.type, ...(spec.short && { short: spec.short }) };
  }
  const usage = () => actionHelp(path, action);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`${err.red('error:')} ${(error as Error).message}\n\n${usage()}`);
    return EXIT.USAGE;
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    console.log(usage());
    return EXIT.OK;
  }
  if (parsed.positionals.length < (action.minPositionals ?? 0)) {
    console.error(`${err.red('error:')} missing argument\n\n${usage()}`);
    return EXIT.USAGE;
  }
  const json = values.json === true;
  const ctx: ActionContext = {
    positionals: parsed.positionals,
    values,
    json,
    client: () => createClient(),
    print: (text) => console.log(text),
    printJson: (value) => {
      console.log(JSON.stringify(value, null, 2));
      return EXIT.OK;
    },
  };
  try {
    return (await action.run(ctx)) ?? EXIT.OK;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${err.red('error:')} ${error.message}\n\n${usage()}`);
      return EXIT.USAGE;
    }
    reportError(error, json);
    return exitCodeFor(error);
  }
}

function actionHelp(path: string, action: Action): string {
  const flags = Object.entries(action.options ?? {}).map(([key, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${key}${spec.type === 'string' ? ' <value>' : ''}`;
    return `  ${flag.padEnd(28)} ${spec.description}`;
  });
  if (action.json) flags.push(`  ${'--json'.padEnd(28)} print the API's JSON instead of a table`);
  flags.push(`  ${'-h, --help'.padEnd(28)} show this help`);
  return [
    `Usage: agenthuman ${path} ${action.usage}`.trimEnd(),
    '',
    action.summary,
    ...(action.details ? ['', action.details] : []),
    '',
    'Flags:',
    ...flags,
  ].join('\n');
}

function createClient(): AgentHuman {
  const config = resolveConfig();
  if (!config.apiKey) {
    throw new AgentHumanError({
      status: 401,
      code: 'API_KEY_REQUIRED',
      message: 'No API key configured',
      suggestion: `Run "agenthuman login", or set AGENTHUMAN_API_KEY (server: ${config.apiUrl})`,
    });
  }
  return new AgentHuman({ baseUrl: config.apiUrl, apiKey: config.apiKey });
}

/** `error: <message> (CODE, status)` then the suggestion and field, on stderr; JSON with --json. */
export function reportError(error: unknown, json: boolean) {
  if (!(error instanceof AgentHumanError)) {
    const message = error instanceof Error ? error.message : String(error);
    if (json) console.error(JSON.stringify({ error: { code: 'CLI_ERROR', message } }));
    else console.error(`${err.red('error:')} ${message}`);
    return;
  }
  if (json) {
    const { code, status, message, details } = error;
    const suggestion = error.suggestion ?? HINTS[code];
    console.error(JSON.stringify({ error: { code, status, message, suggestion, details } }));
    return;
  }
  const where = error.status ? `${error.code}, HTTP ${error.status}` : error.code;
  const lines = [`${err.red('error:')} ${error.message} ${err.dim(`(${where})`)}`];
  if (error.field) lines.push(`  field: ${error.field}`);
  const hint = error.suggestion ?? HINTS[error.code];
  if (hint) lines.push(`  ${err.cyan('hint:')} ${hint}`);
  else if (error.status === 401)
    lines.push(`  ${err.cyan('hint:')} run "agenthuman login" or set AGENTHUMAN_API_KEY`);
  console.error(lines.join('\n'));
}
