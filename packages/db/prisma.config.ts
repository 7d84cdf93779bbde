// Prisma CLI configuration: `prisma generate` here (no database needed), and `prisma migrate deploy`
// where Prisma's native schema engine is available. DATABASE_URL is only required by commands that
// talk to a database, so a missing variable is not an error when loading this file.
import { defineConfig, env } from 'prisma/config';

function optionalEnv(name: string): string | undefined {
  try {
    return env(name);
  } catch {
    return undefined;
  }
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: optionalEnv('DATABASE_URL') },
});
