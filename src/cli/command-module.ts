import type { Command } from 'commander';

/** A CLI subcommand: src/cli/commands/<name>.ts exports `command: CommandModule`. */
export interface CommandModule {
  register(program: Command): void;
}
