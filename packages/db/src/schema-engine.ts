// Prisma's schema engine as WebAssembly (@prisma/schema-engine-wasm), driven through a driver adapter.
// Used where Prisma's native engine cannot be downloaded; the engine is the same code, so it writes
// the same `_prisma_migrations` rows (and checksums) as `prisma migrate deploy`.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';

export type { SchemaEngine } from '@prisma/schema-engine-wasm';

/** Receives the engine's JSON log lines (tracing events). */
export type EngineLogger = (line: string) => void;

// The WebAssembly global is not in the ES lib this project compiles against; type what is used.
interface WebAssemblyApi {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, object>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const { WebAssembly: webAssembly } = globalThis as unknown as { WebAssembly: WebAssemblyApi };

let ready: Promise<void> | undefined;

// The package's own entry point imports the .wasm file as an ES module, which Node only does behind
// a flag; instantiate it by hand with the generated bindings instead (once per process: the bindings
// keep the instance in module state).
// The engine arms timers for its timeouts (e.g. 10 s for the migration advisory lock) and never
// clears them, which would keep a finished process alive for that long. Unref them: while the
// engine works, its database connections keep the process alive anyway.
function withUnrefTimers(imports: object): Record<string, unknown> {
  const patched: Record<string, unknown> = { ...imports };
  for (const name of Object.keys(patched)) {
    if (!name.startsWith('__wbg_setTimeout_')) continue;
    patched[name] = (callback: () => void, milliseconds: number) =>
      setTimeout(callback, milliseconds >>> 0).unref();
  }
  return patched;
}

async function instantiate(): Promise<void> {
  const require = createRequire(import.meta.url);
  const bindingsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bytes = await readFile(bindingsPath.replace(/\.js$/, '.wasm'));
  const { instance } = await webAssembly.instantiate(bytes, {
    './schema_engine_bg.js': withUnrefTimers(bindings),
  });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
}

function loadEngineModule(): Promise<void> {
  ready ??= instantiate().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  return ready;
}

/** The engine's version (the prisma-engines commit it was built from). */
export async function schemaEngineVersion(): Promise<string> {
  await loadEngineModule();
  return bindings.version();
}

/**
 * Starts a schema engine on a driver adapter factory (e.g. `new PrismaPg(pool)`). Free it with
 * `engine.free()` when done.
 */
export async function startSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  options: { datamodels?: [path: string, content: string][]; log?: EngineLogger } = {},
): Promise<SchemaEngine> {
  await loadEngineModule();
  const log = options.log ?? (() => undefined);
  return bindings.SchemaEngine.new(
    { datamodels: options.datamodels },
    (line: string) => {
      log(line.trimEnd());
    },
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}
