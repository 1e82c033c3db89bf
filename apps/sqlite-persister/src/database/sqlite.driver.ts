import Database from 'better-sqlite3';

/**
 * Every native object better-sqlite3 hands out (connections and prepared statements), kept
 * reachable until the process exits. better-sqlite3 12 wraps them with node::ObjectWrap, and on
 * Node >= 24.19 the destructor of an object that the garbage collector frees while no JavaScript
 * context is active (a GC task between two callbacks) aborts the whole process with
 * "Assertion failed: (env) != nullptr" (nodejs/node#65446; fixed by better-sqlite3 13, which
 * TypeORM 1.1 does not accept yet). We saw it kill a run mid-way in the container. A one-shot job
 * creates a handful of these objects, so never letting them become garbage costs nothing; at exit
 * Node releases them itself, while its environment still exists.
 */
const retained = new Set<object>();

/** better-sqlite3's `pragma()` prepares its statement on the native handle, bypassing `prepare()`. */
interface NativeHandle {
  prepare(source: string, database: object, pragmaMode: boolean): Database.Statement;
}

/** better-sqlite3's Database, handed to TypeORM as `driver`, that retains what it creates. */
export class RetainingDatabase extends Database {
  constructor(filename?: string | Buffer, options?: Database.Options) {
    super(filename, options);
    retained.add(this);
  }

  override prepare<P extends unknown[] | object = unknown[], R = unknown>(source: string): Database.Statement<P, R> {
    const statement = super.prepare<P, R>(source);
    retained.add(statement);
    return statement;
  }

  /** Same as better-sqlite3's own pragma() (lib/methods/pragma.js), with the statement retained. */
  override pragma(source: string, options: Database.PragmaOptions = {}): unknown {
    const statement = this.nativeHandle().prepare(`PRAGMA ${source}`, this, true);
    retained.add(statement);
    return options.simple ? statement.pluck().get() : statement.all();
  }

  /** The native connection, stored by better-sqlite3 under a private symbol (its only own symbol). */
  private nativeHandle(): NativeHandle {
    for (const key of Object.getOwnPropertySymbols(this)) {
      const value = (this as unknown as Record<symbol, unknown>)[key];
      if (typeof (value as Partial<NativeHandle> | undefined)?.prepare === 'function') return value as NativeHandle;
    }
    throw new Error('better-sqlite3: conexão nativa não encontrada');
  }
}

/** How many native objects are being kept alive (for tests). */
export function retainedCount(): number {
  return retained.size;
}
