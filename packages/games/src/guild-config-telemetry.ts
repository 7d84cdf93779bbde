// Telemetry of guild configuration writes: one `guild.configure` span per change, with its kind,
// the `guild.config.changes` counter, both from the names registry.
import {
  Attr,
  AttrValues,
  Metrics,
  SpanNames,
  createCounter,
  withSpan,
} from '@game-scheduler/telemetry';
import type { Counter } from '@opentelemetry/api';

export type GuildConfigChange = keyof typeof AttrValues.guildConfigChange;

let changes: Counter | undefined;

export function configureGuild<T>(
  change: GuildConfigChange,
  guildId: string,
  work: () => Promise<T>,
): Promise<T> {
  const kind = { [Attr.guildConfigChange]: AttrValues.guildConfigChange[change] };
  return withSpan(
    SpanNames.guildConfigure,
    { ...kind, [Attr.discordGuildId]: guildId },
    async () => {
      const result = await work();
      changes ??= createCounter(Metrics.guildConfigChanges);
      changes.add(1, kind);
      return result;
    },
  );
}
