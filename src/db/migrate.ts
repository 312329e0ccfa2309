import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { Migrator, PostgresAdapter, sql, type DatabaseIntrospector, type Kysely, type Migration, type MigrationProvider } from 'kysely';

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
 * Kysely's migrator asks the database's introspection which schemas and tables
 * exist. On PostgreSQL that lists every schema of the database: it takes another
 * schema's `kysely_migration_lock` for ours (then fails to find it), and it fails
 * outright when another schema is dropped while it reads the catalog. Several
 * Circulate databases in one server database (each test has its own schema, and
 * deployments may too) must not see each other, so the migrator gets a view of
 * the connection's own schema only, read from the catalog by name.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function ownSchemaOnly(db: Kysely<any>): Kysely<any> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return db;
  const introspection: DatabaseIntrospector = {
    async getSchemas() {
      const { rows } = await sql<{ name: string }>`select current_schema() as name`.execute(db);
      return rows;
    },
    async getTables() {
      const { rows } = await sql<{ name: string; schema: string; kind: string }>`
        select c.relname as name, ns.nspname as schema, c.relkind as kind
        from pg_catalog.pg_class c join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace
        where ns.nspname = current_schema() and c.relkind in ('r', 'v', 'p')`.execute(db);
      return rows.map((r) => ({ name: r.name, schema: r.schema, isView: r.kind === 'v', columns: [] }));
    },
    async getMetadata() {
      return { tables: await this.getTables() };
    },
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'introspection') return introspection;
      const value: unknown = Reflect.get(target, prop, target);
      // Kysely keeps its state in private fields: its methods must run on the real instance.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Brings the schema to the latest migration, or throws naming the migration that failed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>, folder = MIGRATIONS_DIR): Promise<string[]> {
  const migrator = new Migrator({ db: ownSchemaOnly(db), provider: new FolderMigrationProvider(folder) });
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
  const migrator = new Migrator({ db: ownSchemaOnly(db), provider: new FolderMigrationProvider(folder) });
  const { NO_MIGRATIONS } = await import('kysely');
  const { error } = await migrator.migrateTo(NO_MIGRATIONS);
  if (error) throw new MigrationError(`Rolling back failed: ${String(error)}`, { cause: error });
}
