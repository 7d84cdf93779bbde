// Which handler and span name each slash command has.
import { SpanNames } from '@game-scheduler/telemetry';
import type { ChatInputCommandInteraction } from 'discord.js';
import type { InteractionDeps } from '../interactions/interaction-deps.ts';
import { cancelGame } from './cancel-game.ts';
import { createGame } from './create-game.ts';
import type { CommandName } from './definitions.ts';
import { listGames } from './list-games.ts';
import { myGames } from './my-games.ts';

export interface CommandHandler {
  readonly spanName: string;
  handle(interaction: ChatInputCommandInteraction, deps: InteractionDeps): Promise<void>;
}

export const COMMAND_HANDLERS: Readonly<Record<CommandName, CommandHandler>> = {
  'create-game': { spanName: SpanNames.discordCommandCreateGame, handle: createGame },
  'list-games': { spanName: SpanNames.discordCommandListGames, handle: listGames },
  'my-games': { spanName: SpanNames.discordCommandMyGames, handle: myGames },
  'cancel-game': { spanName: SpanNames.discordCommandCancelGame, handle: cancelGame },
};

export function commandHandler(name: string): CommandHandler | undefined {
  return Object.hasOwn(COMMAND_HANDLERS, name) ? COMMAND_HANDLERS[name as CommandName] : undefined;
}
