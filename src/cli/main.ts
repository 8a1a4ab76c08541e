import { Command } from 'commander';
import { isKjobError } from '../errors/kjob-error.js';
import { redact } from '../util/redact.js';
import type { CommandModule } from './command-module.js';

// Each subcommand lives in src/cli/commands/<name>.ts and exports `command: CommandModule`.
// Add new ones to this list (one line each).
const modules: Array<() => Promise<{ command: CommandModule }>> = [
  () => import('./commands/executor.js'),
  () => import('./commands/submit.js'),
  () => import('./commands/emulator.js'),
  () => import('./commands/doctor.js'),
  () => import('./commands/schedule.js'),
  () => import('./commands/scheduler.js'),
  () => import('./commands/health.js'),
];

async function main(argv: string[]): Promise<void> {
  const program = new Command('kjob')
    .description('Spark-like DataFrame jobs for Node.js, with Azure Data Explorer (Kusto) as first-class source and sink')
    .showHelpAfterError()
    .exitOverride();
  for (const load of modules) (await load()).command.register(program);
  await program.parseAsync(argv);
}

try {
  await main(process.argv);
} catch (err) {
  const code = (err as { code?: string }).code;
  if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') process.exit(0);
  if (typeof code === 'string' && code.startsWith('commander.')) process.exit((err as { exitCode?: number }).exitCode ?? 1);
  // Never a bare stack: the error's message, cause and resolution (with secrets redacted).
  if (isKjobError(err)) console.error(err.describe());
  else if (err instanceof Error) console.error(`${err.name}: ${redact(err.message)}${err.cause instanceof Error ? `\n  Caused by: ${redact(err.cause.message)}` : ''}`);
  else console.error(redact(String(err)));
  if (process.env['LOG_LEVEL'] === 'debug' && err instanceof Error && err.stack) console.error(redact(err.stack));
  process.exit(1);
}
