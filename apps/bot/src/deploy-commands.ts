// Registers the slash commands with Discord (a bulk overwrite, so removed commands disappear): in
// one guild when BOT_COMMANDS_GUILD_ID is set (shown at once, for development), else globally.
// Run once per release: `npm run deploy-commands -w @game-scheduler/bot`.
import { REST } from '@discordjs/rest';
import { runService, type Logger } from '@game-scheduler/telemetry';
import { Routes } from 'discord-api-types/v10';
import { COMMANDS } from './commands/definitions.ts';
import { loadDeployConfig, type DeployConfig } from './config.ts';

export async function deployCommands(config: DeployConfig, logger: Logger): Promise<void> {
  const { applicationId, commandsGuildId } = config.discord;
  const rest = new REST({ api: config.discord.apiUrl, timeout: config.discord.timeoutMs }).setToken(
    config.discord.botToken,
  );
  const route =
    commandsGuildId === null
      ? Routes.applicationCommands(applicationId)
      : Routes.applicationGuildCommands(applicationId, commandsGuildId);
  const registered = (await rest.put(route, { body: COMMANDS })) as { name: string }[];
  logger.info(
    { commands: registered.map((command) => command.name), guildId: commandsGuildId ?? 'global' },
    'Slash commands registered',
  );
}

void runService({ name: 'deploy-commands', loadConfig: loadDeployConfig, start: deployCommands });
