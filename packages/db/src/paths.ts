import { fileURLToPath } from 'node:url';

// This file sits one level below the package root both as source (src/) and built (dist/).
const packageRoot = new URL('../', import.meta.url);

/** Absolute path of the committed Prisma migrations (standard Prisma layout). */
export const migrationsDirectory = fileURLToPath(new URL('prisma/migrations/', packageRoot));

/** Absolute path of the Prisma schema. */
export const schemaPath = fileURLToPath(new URL('prisma/schema.prisma', packageRoot));

/**
 * Absolute path of the schema snapshots, one `<migration name>.prisma` per migration: the schema
 * each migration was generated from, so the next migration is a diff of two schemas (no database).
 */
export const schemaHistoryDirectory = fileURLToPath(new URL('prisma/schema-history/', packageRoot));
