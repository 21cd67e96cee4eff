import type { Logger } from 'typeorm';

/** A TypeORM logger that counts the SQL statements it sees, to prove loaders batch. */
export class StatementCounter implements Logger {
  count = 0;
  readonly statements: string[] = [];
  recording = false;

  logQuery(query: string): void {
    this.count++;
    if (this.recording) this.statements.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}

  /** Runs `fn` and returns how many statements it issued. */
  async measure<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
    const before = this.count;
    const result = await fn();
    return { result, statements: this.count - before };
  }
}
