import type { MigrationInterface } from 'typeorm';

/** A migration class, as TypeORM takes it, naming itself (TypeORM records the name; the startup checks compare it). */
export type MigrationClass = new () => MigrationInterface & { name: string };

/** One dialect's part of a schema step: its migrations, in order, or, where it has none, why (in words). */
export type StepSide = readonly MigrationClass[] | string;

/**
 * One step of the ledger's schema (issue 17): what it does, and how each dialect does it. A migration added to either
 * dialect is a step here (or joins its counterpart's step) with the other dialect's migration or the reason it has none.
 */
export interface SchemaStep {
  readonly what: string;
  readonly sqlite: StepSide;
  readonly pg: StepSide;
}

export type Dialect = 'sqlite' | 'pg';

/** A side's migrations (none when the side is a reason). */
export const sideMigrations = (side: StepSide): readonly MigrationClass[] => (typeof side === 'string' ? [] : side);

/** One dialect's migrations, in the steps' order: the list TypeORM runs. */
export const dialectMigrations = (steps: readonly SchemaStep[], dialect: Dialect): MigrationClass[] => steps.flatMap((s) => sideMigrations(s[dialect]));

const DIALECT_NAME: Record<Dialect, string> = { sqlite: 'SQLite', pg: 'PostgreSQL' };

/**
 * What is wrong with the steps against the migration classes each dialect's folder holds (by class name): a step whose
 * side has neither migrations nor a reason, a class in no step or in two, a step naming a class its dialect's folder
 * does not hold, and a reason citing a migration number ("pg 0004", "SQLite 0023") no file of that dialect has.
 */
export function checkSteps(steps: readonly SchemaStep[], folder: Readonly<Record<Dialect, { classes: readonly string[]; numbers: readonly string[] }>>): string[] {
  const failures: string[] = [];
  const seen = new Map<string, number>();
  steps.forEach((step, i) => {
    const at = `step ${i + 1} (${step.what})`;
    for (const dialect of ['sqlite', 'pg'] as const) {
      const side = step[dialect];
      if (typeof side === 'string' ? side.trim() === '' : side.length === 0) {
        failures.push(`${at} has no ${DIALECT_NAME[dialect]} migration and no reason: name its ${DIALECT_NAME[dialect]} migration or say why it has none`);
      }
      for (const M of sideMigrations(side)) {
        seen.set(M.name, (seen.get(M.name) ?? 0) + 1);
        if (!folder[dialect].classes.includes(M.name)) failures.push(`${at} names ${M.name} as ${DIALECT_NAME[dialect]}, which no ${DIALECT_NAME[dialect]} migration file holds`);
      }
    }
    const words = [step.what, typeof step.sqlite === 'string' ? step.sqlite : '', typeof step.pg === 'string' ? step.pg : ''].join(' ');
    for (const [, which, number] of words.matchAll(/\b(pg|SQLite) (\d{4})\b/g)) {
      const dialect = which === 'pg' ? 'pg' : 'sqlite';
      if (!folder[dialect].numbers.includes(number!)) failures.push(`${at} cites ${which} ${number}, which is no ${DIALECT_NAME[dialect]} migration file's number`);
    }
  });
  for (const dialect of ['sqlite', 'pg'] as const) {
    for (const name of folder[dialect].classes) {
      const n = seen.get(name) ?? 0;
      if (n === 0) failures.push(`${name} (${DIALECT_NAME[dialect]}) is in no schema step: add a step to steps.ts with its ${DIALECT_NAME[dialect === 'pg' ? 'sqlite' : 'pg']} counterpart or the reason it has none`);
    }
  }
  for (const [name, n] of seen) if (n > 1) failures.push(`${name} is in ${n} schema steps: a migration belongs to one step`);
  return failures;
}
