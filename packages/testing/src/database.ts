import pg from 'pg';
import { uniqueName } from './unique-name.ts';

export interface TestDatabase {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Creates an empty database of its own for one test file (optionally a copy of a template), so test
 * files can run in parallel against one server.
 */
export async function createTestDatabase(
  serverUrl: string,
  options: { prefix?: string; template?: string } = {},
): Promise<TestDatabase> {
  const name = uniqueName(options.prefix ?? 'gs_test');
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const template = options.template ? ` TEMPLATE "${options.template}"` : '';
    await admin.query(`CREATE DATABASE "${name}"${template}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(serverUrl, name),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
