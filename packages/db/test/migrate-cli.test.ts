import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, getServices, type TestDatabase } from '@game-scheduler/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../scripts/migrate.ts', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runMigrateCli(databaseUrl: string | undefined): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  if (databaseUrl !== undefined) env.DATABASE_URL = databaseUrl;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@game-scheduler/source', cli], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the migrate command', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(getServices().databaseUrl, { prefix: 'gs_db_cli' });
  });

  afterAll(async () => {
    await database.drop();
  });

  it('exits 1 with one line naming DATABASE_URL when it is not set', async () => {
    const run = await runMigrateCli(undefined);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^migrate: DATABASE_URL is not set/);
  });

  it('exits 1 with one line naming host:port, without the password, when the server is unreachable', async () => {
    const run = await runMigrateCli('postgresql://app:s3cret-pw@127.0.0.1:1/game_scheduler');
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('Cannot connect to PostgreSQL at 127.0.0.1:1/game_scheduler');
    expect(run.stderr).toContain('ECONNREFUSED');
    expect(run.stderr).not.toContain('s3cret-pw');
  });

  it('exits 1 with one line when DATABASE_URL is not a PostgreSQL URL', async () => {
    const run = await runMigrateCli('mysql://app:s3cret-pw@127.0.0.1:3306/game_scheduler');
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('not a postgresql:// URL');
    expect(run.stderr).not.toContain('s3cret-pw');
  });

  it('applies the migrations, then reports that nothing is pending', async () => {
    const first = await runMigrateCli(database.url);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Applied migration \d{14}_init/);
    const second = await runMigrateCli(database.url);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`No pending migrations to apply to 127.0.0.1`);
    expect(second.stderr).toBe('');
  });
});
