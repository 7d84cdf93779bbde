import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getServices } from '@game-scheduler/testing';
import { describe, expect, it } from 'vitest';
import { diffSchemas, migrationsDirectory, schemaPath } from '../src/index.ts';

const packageRoot = fileURLToPath(new URL('../', import.meta.url));

async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)))
    .sort();
}

function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true',
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        CHECKPOINT_DISABLE: '1',
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, output });
    });
  });
}

describe('the committed artefacts follow prisma/schema.prisma', () => {
  it('has a migration for every schema change (the last snapshot diffs to nothing)', async () => {
    const migrations = (await readdir(migrationsDirectory, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    const last = migrations.at(-1)!;
    const snapshot = await readFile(
      join(packageRoot, 'prisma/schema-history', `${last}.prisma`),
      'utf8',
    );
    const schema = await readFile(schemaPath, 'utf8');
    expect(await diffSchemas(getServices().databaseUrl, snapshot, schema)).toBe('');
  });

  it('commits the client that prisma generate produces from the schema', async () => {
    const work = await mkdtemp(join(tmpdir(), 'gs-db-generate-'));
    try {
      await cp(schemaPath, join(work, 'prisma/schema.prisma'));
      const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
      const result = await run(
        process.execPath,
        [prismaCli, 'generate', '--schema', 'prisma/schema.prisma'],
        work,
      );
      expect(result.code, result.output).toBe(0);
      const generated = join(work, 'src/generated/prisma');
      const committed = join(packageRoot, 'src/generated/prisma');
      const files = await listFiles(generated);
      expect(await listFiles(committed)).toEqual(files);
      for (const file of files) {
        const [fresh, kept] = await Promise.all([
          readFile(join(generated, file), 'utf8'),
          readFile(join(committed, file), 'utf8'),
        ]);
        expect(kept, `${file} is stale: run npm run generate -w @game-scheduler/db`).toBe(fresh);
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
