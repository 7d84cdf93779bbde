# syntax=docker/dockerfile:1
# One image recipe for every Node process of the stack; pick the process with --target (the compose
# file does): api, bot, notification-daemon, status-transition-daemon, migrate, discord-sim,
# traffic-generator. Every target shares the same two stages, so a `docker compose build` compiles
# the monorepo once.

ARG NODE_VERSION=24

# --- build: install everything, compile every workspace to dist/, then drop dev dependencies -------
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /repo
# Prisma's CLI (a dev dependency) is never run in the image: the generated client is committed under
# packages/db/src/generated and migrations run through Prisma's WebAssembly engine.
ENV PRISMA_SKIP_POSTINSTALL_GENERATE=1 \
    PRISMA_SCHEMA_ENGINE_BINARY=/bin/true \
    TURBO_TELEMETRY_DISABLED=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
COPY . .
RUN npm ci --no-audit --no-fund \
 && npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf .turbo */*/.turbo

# --- runtime: the compiled repository, run as the unprivileged `node` user ------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=root:root /repo /app
USER node
# Every service's healthcheck (docker/healthcheck.ts): GET /ready answers 200, the API's on API_PORT,
# the bot's and the daemons' on HEALTH_PORT (their readiness server, set below; compose sets it too).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/app/docker/healthcheck.ts"]

FROM runtime AS api
WORKDIR /app/apps/api
EXPOSE 3000
CMD ["node", "--import", "@game-scheduler/telemetry/register", "dist/main.js"]

FROM runtime AS bot
WORKDIR /app/apps/bot
ENV HEALTH_PORT=8081
CMD ["node", "--import", "@game-scheduler/telemetry/register", "dist/main.js"]

# One-shot: registers the bot's slash commands (apps/bot/src/deploy-commands.ts), then exits 0. It
# tries for about a minute, so Discord (the local one, starting next to it) may come up after it.
FROM runtime AS bot-commands
WORKDIR /app/apps/bot
HEALTHCHECK NONE
CMD ["sh", "-c", "for attempt in 1 2 3 4 5 6 7 8 9 10 11 12; do node --import @game-scheduler/telemetry/register dist/deploy-commands.js && exit 0; sleep 5; done; exit 1"]

FROM runtime AS notification-daemon
WORKDIR /app/apps/notification-daemon
ENV HEALTH_PORT=8081
CMD ["node", "--import", "@game-scheduler/telemetry/register", "dist/main.js"]

FROM runtime AS status-transition-daemon
WORKDIR /app/apps/status-transition-daemon
ENV HEALTH_PORT=8081
CMD ["node", "--import", "@game-scheduler/telemetry/register", "dist/main.js"]

# One-shot: applies the committed Prisma migrations to DATABASE_URL, then exits.
FROM runtime AS migrate
HEALTHCHECK NONE
CMD ["npm", "run", "db:migrate"]

# The local Discord for running without a Discord application (demo, development).
FROM runtime AS discord-sim
WORKDIR /app/packages/discord-sim
EXPOSE 4100
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "/app/docker/healthcheck.ts", "http://127.0.0.1:4100/_sim/health"]
CMD ["node", "dist/cli.js", "--host", "0.0.0.0", "--port", "4100", "--scenario", "demo"]

# Demo traffic for the local stack: logs in through the local Discord and drives the API.
FROM runtime AS traffic-generator
WORKDIR /app/apps/traffic-generator
HEALTHCHECK NONE
CMD ["node", "dist/main.js"]
