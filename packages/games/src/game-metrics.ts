// The game counters, from the names registry (created lazily so the meter provider is in place).
import { Metrics, createCounter } from '@game-scheduler/telemetry';
import type { Counter } from '@opentelemetry/api';

let counters:
  | { gamesCreated: Counter; gamesCancelled: Counter; playersJoined: Counter; playersLeft: Counter }
  | undefined;

function all() {
  counters ??= {
    gamesCreated: createCounter(Metrics.gamesCreated),
    gamesCancelled: createCounter(Metrics.gamesCancelled),
    playersJoined: createCounter(Metrics.playersJoined),
    playersLeft: createCounter(Metrics.playersLeft),
  };
  return counters;
}

export const gameMetrics = {
  get gamesCreated() {
    return all().gamesCreated;
  },
  get gamesCancelled() {
    return all().gamesCancelled;
  },
  get playersJoined() {
    return all().playersJoined;
  },
  get playersLeft() {
    return all().playersLeft;
  },
};
