-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "game_status" AS ENUM ('SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "reminder_status" AS ENUM ('PENDING', 'SENT', 'PARKED');

-- CreateEnum
CREATE TYPE "status_schedule_status" AS ENUM ('PENDING', 'APPLIED', 'PARKED');

-- CreateEnum
CREATE TYPE "delivery_method" AS ENUM ('DM', 'CHANNEL_MENTION');

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "username" TEXT,
    "global_name" TEXT,
    "avatar" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "guilds" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "bot_manager_role_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "guilds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "channels" (
    "id" TEXT NOT NULL,
    "guild_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "is_enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "game_templates" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "guild_id" TEXT NOT NULL,
    "channel_id" TEXT,
    "name" TEXT NOT NULL,
    "sort_order" INTEGER NOT NULL DEFAULT 0,
    "is_default" BOOLEAN NOT NULL DEFAULT false,
    "description" TEXT,
    "duration_minutes" INTEGER,
    "max_players" INTEGER,
    "reminder_minutes" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "where" TEXT,
    "allowed_role_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "game_templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "games" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "guild_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "message_id" TEXT,
    "host_id" TEXT NOT NULL,
    "template_id" UUID,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_minutes" INTEGER NOT NULL,
    "max_players" INTEGER,
    "reminder_minutes" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "where" TEXT,
    "status" "game_status" NOT NULL DEFAULT 'SCHEDULED',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "games_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "participants" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "game_id" UUID NOT NULL,
    "user_id" TEXT,
    "display_name" TEXT,
    "join_sequence" SERIAL NOT NULL,
    "joined_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "participants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reminder_schedule" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "game_id" UUID NOT NULL,
    "reminder_minutes" INTEGER NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "reminder_status" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "traceparent" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reminder_schedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "status_schedule" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "game_id" UUID NOT NULL,
    "target_status" "game_status" NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "status_schedule_status" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "traceparent" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "status_schedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "event_type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "processed_messages" (
    "consumer" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_messages_pkey" PRIMARY KEY ("consumer","message_id")
);

-- CreateTable
CREATE TABLE "reminder_deliveries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "game_id" UUID NOT NULL,
    "reminder_minutes" INTEGER NOT NULL,
    "user_id" TEXT NOT NULL,
    "method" "delivery_method" NOT NULL,
    "delivered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reminder_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "channels_guild_id_idx" ON "channels"("guild_id");

-- CreateIndex
CREATE INDEX "game_templates_guild_id_sort_order_idx" ON "game_templates"("guild_id", "sort_order");

-- CreateIndex
CREATE UNIQUE INDEX "game_templates_guild_id_name_key" ON "game_templates"("guild_id", "name");

-- CreateIndex
CREATE INDEX "games_guild_id_starts_at_idx" ON "games"("guild_id", "starts_at");

-- CreateIndex
CREATE INDEX "games_status_starts_at_idx" ON "games"("status", "starts_at");

-- CreateIndex
CREATE INDEX "games_host_id_idx" ON "games"("host_id");

-- CreateIndex
CREATE INDEX "participants_game_id_join_sequence_idx" ON "participants"("game_id", "join_sequence");

-- CreateIndex
CREATE INDEX "participants_user_id_idx" ON "participants"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "participants_game_id_user_id_key" ON "participants"("game_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "reminder_schedule_game_id_reminder_minutes_key" ON "reminder_schedule"("game_id", "reminder_minutes");

-- CreateIndex
CREATE UNIQUE INDEX "status_schedule_game_id_target_status_key" ON "status_schedule"("game_id", "target_status");

-- CreateIndex
CREATE UNIQUE INDEX "reminder_deliveries_game_id_reminder_minutes_user_id_key" ON "reminder_deliveries"("game_id", "reminder_minutes", "user_id");

-- AddForeignKey
ALTER TABLE "channels" ADD CONSTRAINT "channels_guild_id_fkey" FOREIGN KEY ("guild_id") REFERENCES "guilds"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "game_templates" ADD CONSTRAINT "game_templates_guild_id_fkey" FOREIGN KEY ("guild_id") REFERENCES "guilds"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "game_templates" ADD CONSTRAINT "game_templates_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "games" ADD CONSTRAINT "games_guild_id_fkey" FOREIGN KEY ("guild_id") REFERENCES "guilds"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "games" ADD CONSTRAINT "games_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "games" ADD CONSTRAINT "games_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "games" ADD CONSTRAINT "games_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "game_templates"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "participants" ADD CONSTRAINT "participants_game_id_fkey" FOREIGN KEY ("game_id") REFERENCES "games"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "participants" ADD CONSTRAINT "participants_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reminder_schedule" ADD CONSTRAINT "reminder_schedule_game_id_fkey" FOREIGN KEY ("game_id") REFERENCES "games"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_schedule" ADD CONSTRAINT "status_schedule_game_id_fkey" FOREIGN KEY ("game_id") REFERENCES "games"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reminder_deliveries" ADD CONSTRAINT "reminder_deliveries_game_id_fkey" FOREIGN KEY ("game_id") REFERENCES "games"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reminder_deliveries" ADD CONSTRAINT "reminder_deliveries_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------
-- Hand-written below this line: what the Prisma schema cannot express. (migration:new diffs the
-- Prisma schemas only, so these statements are never dropped or repeated by later migrations.)
-- ---------------------------------------------------------------------------------------------

-- A participant is a Discord user or, for a placeholder pre-filled by the host, a display name.
ALTER TABLE "participants" ADD CONSTRAINT "participants_user_or_display_name_check"
    CHECK ("user_id" IS NOT NULL OR "display_name" IS NOT NULL);

-- At most one default template per guild.
CREATE UNIQUE INDEX "game_templates_one_default_per_guild_key" ON "game_templates"("guild_id")
    WHERE "is_default";

-- "Next due" queries of the daemons: only pending rows, by due time.
CREATE INDEX "reminder_schedule_pending_due_at_idx" ON "reminder_schedule"("due_at")
    WHERE "status" = 'PENDING';

CREATE INDEX "status_schedule_pending_due_at_idx" ON "status_schedule"("due_at")
    WHERE "status" = 'PENDING';

-- The outbox relay's queue: unpublished events in insertion order.
CREATE INDEX "outbox_unpublished_created_at_idx" ON "outbox"("created_at")
    WHERE "published_at" IS NULL;

-- Wake the daemons when a pending schedule row is written. Channel: the trigger's argument.
-- Payload: the row's effective due time (the later of due_at and next_attempt_at) in ISO 8601 UTC.
CREATE FUNCTION "notify_schedule_changed"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(
        TG_ARGV[0],
        to_char(
            GREATEST(NEW."due_at", COALESCE(NEW."next_attempt_at", NEW."due_at")) AT TIME ZONE 'UTC',
            'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'
        )
    );
    RETURN NULL;
END;
$$;

CREATE TRIGGER "reminder_schedule_notify"
    AFTER INSERT OR UPDATE ON "reminder_schedule"
    FOR EACH ROW WHEN (NEW."status" = 'PENDING')
    EXECUTE FUNCTION "notify_schedule_changed"('reminder_schedule_changed');

CREATE TRIGGER "status_schedule_notify"
    AFTER INSERT OR UPDATE ON "status_schedule"
    FOR EACH ROW WHEN (NEW."status" = 'PENDING')
    EXECUTE FUNCTION "notify_schedule_changed"('status_schedule_changed');

-- Wake the outbox relay when an event is written. Payload: the event id.
CREATE FUNCTION "notify_outbox_inserted"() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox_inserted', NEW."id"::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER "outbox_notify"
    AFTER INSERT ON "outbox"
    FOR EACH ROW
    EXECUTE FUNCTION "notify_outbox_inserted"();
