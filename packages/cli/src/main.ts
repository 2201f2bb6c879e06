// Entry of the `agenthuman` command. Subcommands are registered in commands/.
const [command = 'help'] = process.argv.slice(2);
console.error(`agenthuman: unknown command "${command}"`);
process.exitCode = 2;
