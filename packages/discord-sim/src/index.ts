export {
  createDiscordSim,
  DiscordSim,
  DEFAULT_APPLICATION_ID,
  DEFAULT_BOT_TOKEN,
  DEFAULT_CLIENT_SECRET,
} from './discord-sim.ts';
export type { ApplicationOptions, DiscordSimOptions } from './discord-sim.ts';
export type { CallFilter, CallPredicate, RecordedCall } from './http/call-log.ts';
export type { SimLogger, SimLogFn } from './logger.ts';
export type { FaultSpec, FlakySpec } from './rate-limit/fault-injector.ts';
export { defaultRateLimits } from './rate-limit/rate-limiter.ts';
export type {
  RateLimitOptions,
  RateLimitWindow,
  RouteRateLimit,
} from './rate-limit/rate-limiter.ts';
export type {
  ChannelInput,
  GuildHandle,
  GuildInput,
  MemberInput,
  RoleInput,
  ScenarioDefinition,
  ScenarioHandle,
  UserInput,
} from './scenario/declarations.ts';
export { ApplicationCommandOptionType } from './scenario/interactions.ts';
export type {
  ButtonClickInput,
  CommandOptionValue,
  InteractionHandle,
  SlashCommandInput,
} from './scenario/interactions.ts';
export type { WaitOptions } from './scenario/wait.ts';
export { demoScenario } from './demo-scenario.ts';
export { simNow } from './clock.ts';
export { createSnowflakeGenerator, snowflakeTimestamp } from './snowflake.ts';
export type { JsonObject, SimInteraction, SimInteractionResponse, SimUser } from './state/types.ts';
export { ChannelType } from './state/types.ts';
export { createDiscordSimClient } from './scenario/remote-client.ts';
export type { DiscordSimClient, RemoteInteraction } from './scenario/remote-client.ts';
export type { GatewayLogEntry } from './gateway/gateway-server.ts';
