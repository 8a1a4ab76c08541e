/** The `.show commands` / `.show queries` journal (most recent 10,000 entries of each). */
export interface JournalEntry {
  readonly clientActivityId: string | undefined;
  readonly commandType: string;
  readonly text: string;
  readonly database: string;
  readonly state: 'Completed' | 'Failed';
  readonly failureReason?: string;
  readonly startedOn: Date;
  readonly duration: number;
  readonly principal?: string;
}

const LIMIT = 10_000;
/** Longer texts (inline ingestion carries its data) are cut, so the journal's memory stays bounded. */
const MAX_TEXT = 65_536;

export class CommandJournal {
  readonly commands: JournalEntry[] = [];
  readonly queries: JournalEntry[] = [];

  record(entry: JournalEntry): void {
    const e = entry.text.length > MAX_TEXT ? { ...entry, text: `${entry.text.slice(0, MAX_TEXT)}…` } : entry;
    const list = e.commandType === 'Query' ? this.queries : this.commands;
    list.push(e);
    if (list.length > LIMIT) list.splice(0, list.length - LIMIT);
  }
}
