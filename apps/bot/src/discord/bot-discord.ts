// The Discord calls the bot makes outside an interaction reply: post and edit announcements, DM a
// player. All go through the client's (traced) REST manager.
import type { REST } from '@discordjs/rest';
import {
  Routes,
  type APIChannel,
  type APIMessage,
  type RESTPatchAPIChannelMessageJSONBody,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';

export interface BotDiscord {
  /** Posts a message; returns its id. */
  postMessage(channelId: string, body: RESTPostAPIChannelMessageJSONBody): Promise<string>;
  editMessage(
    channelId: string,
    messageId: string,
    body: RESTPatchAPIChannelMessageJSONBody,
  ): Promise<void>;
  /**
   * Opens (or reuses) the DM channel with the user and sends the text. With a `nonce` (at most 25
   * characters) and `enforce_nonce`, Discord answers a repeat of the same send in the next few
   * minutes with the message already sent instead of sending it twice.
   */
  sendDm(userId: string, content: string, nonce?: string): Promise<void>;
}

export function createBotDiscord(rest: REST): BotDiscord {
  const dmChannels = new Map<string, string>();
  async function dmChannel(userId: string): Promise<string> {
    const known = dmChannels.get(userId);
    if (known !== undefined) return known;
    const channel = (await rest.post(Routes.userChannels(), {
      body: { recipient_id: userId },
    })) as APIChannel;
    dmChannels.set(userId, channel.id);
    return channel.id;
  }
  return {
    async postMessage(channelId, body) {
      const message = (await rest.post(Routes.channelMessages(channelId), { body })) as APIMessage;
      return message.id;
    },
    async editMessage(channelId, messageId, body) {
      await rest.patch(Routes.channelMessage(channelId, messageId), { body });
    },
    async sendDm(userId, content, nonce) {
      await rest.post(Routes.channelMessages(await dmChannel(userId)), {
        body: {
          content,
          allowed_mentions: { parse: [] },
          ...(nonce === undefined ? {} : { nonce, enforce_nonce: true }),
        },
      });
    },
  };
}
