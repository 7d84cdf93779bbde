// The custom id of a game's buttons: `game:<action>:<game id>`. Discord sends it back on a click.

export const BUTTON_ACTIONS = ['join', 'leave'] as const;
export type ButtonAction = (typeof BUTTON_ACTIONS)[number];

const PATTERN = /^game:(join|leave):([0-9a-f-]{36})$/;

export function buttonCustomId(action: ButtonAction, gameId: string): string {
  return `game:${action}:${gameId}`;
}

/** The action and game of one of our buttons, or null for anything else. */
export function parseButtonCustomId(
  customId: string,
): { readonly action: ButtonAction; readonly gameId: string } | null {
  const match = PATTERN.exec(customId);
  if (match === null) return null;
  return { action: match[1] as ButtonAction, gameId: match[2] ?? '' };
}
