// Entry of the `agenthuman` command. Each subcommand lives in commands/<name>.ts and exports
// `run(args: string[]): Promise<number>` (the exit code); modules load lazily so `serve` never pays for `render`.
type CommandModule = { run(args: string[]): Promise<number>; summary: string };

const commands: Record<string, () => Promise<CommandModule>> = {
  serve: () => import('./commands/serve.js'),
  keys: () => import('./commands/keys.js'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log('Usage: agenthuman <command> [options]\n\nCommands:');
    for (const [command, load] of Object.entries(commands)) {
      console.log(`  ${command.padEnd(10)} ${(await load()).summary}`);
    }
    return 0;
  }
  const load = commands[name];
  if (!load) {
    console.error(`agenthuman: unknown command "${name}" (see agenthuman --help)`);
    return 2;
  }
  return (await load()).run(args);
}

process.exitCode = await main(process.argv.slice(2));

export {};
