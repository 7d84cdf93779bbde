// The REST manager against the local Discord: interaction webhooks (the answers to clicks and
// commands) stay out of the bot's global budget of 50 calls per second, as Discord keeps them out of
// its global limit; other calls count against it.
import { createDiscordSim, demoScenario, type DiscordSim } from '@game-scheduler/discord-sim';
import { Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TracedRest } from './traced-rest.ts';

let sim: DiscordSim;

beforeAll(async () => {
  sim = await createDiscordSim({ scenario: demoScenario, rateLimits: { enabled: false } });
});

afterAll(async () => {
  await sim.close();
});

function restFor(): TracedRest {
  const rest = new TracedRest({ api: sim.apiUrl, globalRequestsPerSecond: 50 });
  rest.setToken(sim.application.botToken);
  return rest;
}

describe('TracedRest', () => {
  it('sends interaction webhook calls outside the global budget', async () => {
    const rest = restFor();
    const edits = Array.from({ length: 3 }, (_, i) =>
      rest
        .patch(Routes.webhookMessage(sim.application.id, `unknown-token-${String(i)}`), {
          auth: false,
          body: { content: 'answer' },
        })
        .catch((error: unknown) => error),
    );
    // The local Discord answers 10015 Unknown Webhook: the calls were made, which is what counts.
    const results = await Promise.all(edits);
    expect(results.every((result) => result instanceof Error)).toBe(true);
    expect(sim.calls({ method: 'PATCH' })).toHaveLength(3);
    expect(rest.globalRemaining).toBe(50);
  });

  it('counts the bot-token calls against it', async () => {
    const rest = restFor();
    await rest.get(Routes.gatewayBot());
    expect(rest.globalRemaining).toBe(49);
  });
});
