import { randomBytes } from 'node:crypto';

/** A short name unique to this test run, safe as a database name, key prefix or queue prefix. */
export function uniqueName(prefix: string): string {
  const safe = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 24);
  return `${safe}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}
