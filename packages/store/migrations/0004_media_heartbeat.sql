ALTER TABLE "sessions" ADD COLUMN "media_owner" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "media_heartbeat_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "sessions_running_media_heartbeat" ON "sessions" USING btree ("media_heartbeat_at") WHERE "sessions"."started_at" is not null and "sessions"."ended_at" is null and "sessions"."media_owner" is not null;