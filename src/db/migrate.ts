import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { Migrator, PostgresAdapter, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/** Where the timestamped migration files live, relative to this module. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/**
 * Loads `migrations/*.ts` (or the compiled `*.js`) in name order; names start with a
 * timestamp so order is history.
 */
class FolderMigrationProvider implements MigrationProvider {
  constructor(private readonly folder: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.folder)).filter((f) => /^\d{14}_.+\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const name = file.replace(/\.(ts|js)$/, '');
      if (migrations[name]) continue;
      migrations[name] = (await import(pathToFileURL(join(this.folder, file)).href)) as Migration;
    }
    return migrations;
  }
}

/** Thrown when a migration fails; start-up stops with it. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/**
 * Brings the schema to the latest migration, or throws naming the migration that failed.
 * On PostgreSQL the migration tables are looked for in the connection's own schema:
 * without naming it, kysely counts a `kysely_migration_lock` in any other schema of
 * the database as ours, skips creating it, and the migration fails.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>, folder = MIGRATIONS_DIR): Promise<string[]> {
  const schema = db.getExecutor().adapter instanceof PostgresAdapter ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({ db, provider: new FolderMigrationProvider(folder), ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Undoes every migration; used by tests that check `down` works on both engines. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToZero(db: Kysely<any>, folder = MIGRATIONS_DIR): Promise<void> {
  const migrator = new Migrator({ db, provider: new FolderMigrationProvider(folder) });
  const { NO_MIGRATIONS } = await import('kysely');
  const { error } = await migrator.migrateTo(NO_MIGRATIONS);
  if (error) throw new MigrationError(`Rolling back failed: ${String(error)}`, { cause: error });
}
