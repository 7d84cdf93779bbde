/** Discord snowflakes: milliseconds since the Discord epoch in the top 42 bits, then worker, process, increment. */
export const DISCORD_EPOCH = 1_420_070_400_000n;

export type SnowflakeGenerator = () => string;

export function createSnowflakeGenerator(workerId = 1, processId = 0): SnowflakeGenerator {
  let lastMs = 0n;
  let increment = 0n;
  return () => {
    let now = BigInt(Date.now()) - DISCORD_EPOCH;
    if (now <= lastMs) {
      increment += 1n;
      if (increment > 0xfffn) {
        increment = 0n;
        lastMs += 1n;
      }
      now = lastMs;
    } else {
      increment = 0n;
      lastMs = now;
    }
    const id =
      (now << 22n) |
      ((BigInt(workerId) & 0x1fn) << 17n) |
      ((BigInt(processId) & 0x1fn) << 12n) |
      increment;
    return id.toString();
  };
}

/** The creation time (ms since the Unix epoch) encoded in a snowflake. */
export function snowflakeTimestamp(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}
