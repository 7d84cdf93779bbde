// What a reminder says. The same words go to a DM and, with a mention in front, to the game's channel
// when the player's DMs are closed. Waitlisted players are told they are waiting.

export interface ReminderTextInput {
  readonly title: string;
  readonly startsAt: Date;
  readonly minutesBefore: number;
  readonly where: string | null;
  /** 1-based place on the waitlist, or null for a confirmed player. */
  readonly waitlistPosition: number | null;
}

function plural(value: number, unit: string): string {
  return `${String(value)} ${unit}${value === 1 ? '' : 's'}`;
}

/** `1 day 2 hours`, `1 hour 30 minutes`, `15 minutes`. */
export function describeMinutes(minutes: number): string {
  const days = Math.floor(minutes / 1_440);
  const hours = Math.floor((minutes % 1_440) / 60);
  const rest = minutes % 60;
  const parts = [
    days > 0 ? plural(days, 'day') : '',
    hours > 0 ? plural(hours, 'hour') : '',
    rest > 0 ? plural(rest, 'minute') : '',
  ].filter((part) => part !== '');
  return parts.join(' ');
}

export function reminderText(input: ReminderTextInput): string {
  const unix = Math.floor(input.startsAt.getTime() / 1000);
  const when =
    input.minutesBefore === 0
      ? 'is starting now'
      : `starts in ${describeMinutes(input.minutesBefore)}`;
  const lines = [`⏰ Reminder: **${input.title}** ${when} (<t:${String(unix)}:F>).`];
  if (input.where !== null && input.where.trim() !== '') lines.push(`Where: ${input.where.trim()}`);
  if (input.waitlistPosition !== null) {
    lines.push(
      `You are on the waitlist (#${String(input.waitlistPosition)}): you will get a spot if someone leaves.`,
    );
  }
  return lines.join('\n');
}

/** The channel fallback for a player whose DMs are closed. */
export function fallbackText(userId: string, text: string): string {
  return `<@${userId}> ${text}`;
}
