/** Records the simulator keeps. API payloads are built from these by ../rest/serialize.ts. */

export type JsonObject = Record<string, unknown>;

export interface SimApplication {
  id: string;
  name: string;
  botUserId: string;
  botToken: string;
  clientSecret: string;
  /** Allowed OAuth2 redirect URIs; empty accepts any. */
  redirectUris: string[];
}

export interface SimUser {
  id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
  email: string | null;
  /** The user does not accept DMs from the bot: sending one fails with 50007. */
  dmsClosed: boolean;
}

export interface SimRole {
  id: string;
  guildId: string;
  name: string;
  color: number;
  position: number;
  /** Permission bitfield as a decimal string, as Discord sends it. */
  permissions: string;
  hoist: boolean;
  mentionable: boolean;
}

export const ChannelType = {
  GuildText: 0,
  DM: 1,
  GuildVoice: 2,
  GuildCategory: 4,
  GuildAnnouncement: 5,
} as const;

export interface SimChannel {
  id: string;
  type: number;
  guildId: string | null;
  name: string | null;
  position: number;
  parentId: string | null;
  topic: string | null;
  /** DM channels: the other user (the bot is implied). */
  recipientId: string | null;
  lastMessageId: string | null;
}

export interface SimGuild {
  id: string;
  name: string;
  ownerId: string;
  locale: string;
  createdAt: number;
}

export interface SimMember {
  guildId: string;
  userId: string;
  nick: string | null;
  roleIds: string[];
  joinedAt: string;
}

export interface SimInteractionResponse {
  type: number;
  data: JsonObject | null;
  time: number;
  /** The same instant to a fraction of a millisecond (simNow), for benchmarks. */
  preciseTime: number;
}

export interface SimInteraction {
  id: string;
  token: string;
  /** 2 application command, 3 message component. */
  type: number;
  applicationId: string;
  guildId: string | null;
  channelId: string;
  userId: string;
  createdAt: number;
  /** The payload dispatched in INTERACTION_CREATE. */
  payload: JsonObject;
  /** Callbacks received (normally one). */
  responses: SimInteractionResponse[];
  /** The message behind @original: the reply, or for components the clicked message. */
  originalMessageId: string | null;
  followupMessageIds: string[];
  ephemeral: boolean;
}

export interface SimOAuthCode {
  code: string;
  userId: string;
  clientId: string;
  redirectUri: string | null;
  scopes: string[];
  expiresAt: number;
}

export interface SimOAuthToken {
  accessToken: string;
  refreshToken: string;
  userId: string;
  scopes: string[];
  expiresAt: number;
}
