// Finds the tools the tests run for real (promtool, the exporters Alloy embeds). They come from
// apt (see .ci/run); a missing one fails the test with the command that installs it.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const APT_PACKAGE: Record<string, string> = {
  promtool: 'prometheus',
  'prometheus-postgres-exporter': 'prometheus-postgres-exporter',
  'prometheus-redis-exporter': 'prometheus-redis-exporter',
};

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findBinary(name: string): string {
  const directories = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin'];
  for (const directory of directories) {
    if (directory === '') continue;
    const candidate = join(directory, name);
    if (isExecutable(candidate)) return candidate;
  }
  const pkg = APT_PACKAGE[name] ?? name;
  throw new Error(
    `${name} is not installed (looked on PATH and in /usr/bin). Install it with ` +
      `"apt-get update && apt-get install -y ${pkg}" (.ci/run does this).`,
  );
}
