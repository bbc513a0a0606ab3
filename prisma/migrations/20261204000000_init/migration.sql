-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "device_state" AS ENUM ('provisioning', 'healthy', 'degraded', 'failed', 'offline', 'maintenance', 'decommissioned');

-- CreateEnum
CREATE TYPE "offline_tier" AS ENUM ('warning', 'alert', 'critical', 'monitor', 'escalate', 'investigate', 'decommission_review');

-- CreateEnum
CREATE TYPE "transition_cause" AS ENUM ('registration', 'heartbeat', 'timeout', 'operator', 'deployment', 'sync');

-- CreateEnum
CREATE TYPE "group_membership" AS ENUM ('static', 'dynamic');

-- CreateEnum
CREATE TYPE "operator_role" AS ENUM ('viewer', 'operator', 'admin');

-- CreateTable
CREATE TABLE "devices" (
    "id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "serial_number" TEXT,
    "mac_address" TEXT,
    "ip_address" TEXT,
    "environment" TEXT,
    "hardware_type" TEXT NOT NULL,
    "architecture" TEXT,
    "cpu_cores" INTEGER,
    "ram_mb" INTEGER,
    "gpu" TEXT,
    "disk_total_mb" INTEGER,
    "has_gpu" BOOLEAN NOT NULL DEFAULT false,
    "storage_type" TEXT,
    "cameras" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "sensors" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "os" TEXT,
    "kernel" TEXT,
    "jetpack_version" TEXT,
    "cuda_version" TEXT,
    "container_runtime" TEXT,
    "container_runtime_version" TEXT,
    "current_version" TEXT,
    "previous_version" TEXT,
    "last_deployed_at" TIMESTAMPTZ(3),
    "deployment_slot" TEXT,
    "rollback_available" BOOLEAN NOT NULL DEFAULT false,
    "rollback_version" TEXT,
    "notes" TEXT,
    "physical_location" TEXT,
    "registered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decommissioned_at" TIMESTAMPTZ(3),
    "heartbeat_interval_seconds" INTEGER NOT NULL DEFAULT 60,

    CONSTRAINT "devices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "device_status" (
    "device_id" TEXT NOT NULL,
    "state" "device_state" NOT NULL DEFAULT 'provisioning',
    "state_since" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "connectivity" TEXT NOT NULL DEFAULT 'offline',
    "last_heartbeat_at" TIMESTAMPTZ(3),
    "last_device_time" TIMESTAMPTZ(3),
    "last_sequence" BIGINT,
    "reported_status" TEXT,
    "app_version" TEXT,
    "uptime_seconds" BIGINT,
    "metrics" JSONB,
    "due_at" TIMESTAMPTZ(3),
    "offline_since" TIMESTAMPTZ(3),
    "offline_tier" "offline_tier",
    "tier_since" TIMESTAMPTZ(3),
    "last_known_state" "device_state",
    "desired_version" TEXT,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "device_status_pkey" PRIMARY KEY ("device_id")
);

-- CreateTable
CREATE TABLE "device_tags" (
    "device_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "device_tags_pkey" PRIMARY KEY ("device_id","key","value")
);

-- CreateTable
CREATE TABLE "tag_definitions" (
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tag_definitions_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "groups" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "membership" "group_membership" NOT NULL,
    "query" TEXT,
    "deploy_policy" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "groups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "group_members" (
    "group_id" UUID NOT NULL,
    "device_id" TEXT NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "group_members_pkey" PRIMARY KEY ("group_id","device_id")
);

-- CreateTable
CREATE TABLE "heartbeats" (
    "id" BIGSERIAL NOT NULL,
    "device_id" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "device_time" TIMESTAMPTZ(3),
    "sequence" BIGINT,
    "status" TEXT NOT NULL,
    "app_version" TEXT,
    "metrics" JSONB,

    CONSTRAINT "heartbeats_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "state_transitions" (
    "id" BIGSERIAL NOT NULL,
    "device_id" TEXT NOT NULL,
    "from_state" "device_state",
    "to_state" "device_state" NOT NULL,
    "cause" "transition_cause" NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "state_transitions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "device_events" (
    "id" BIGSERIAL NOT NULL,
    "device_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "device_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "device_id_sequences" (
    "device_type" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "next" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "device_id_sequences_pkey" PRIMARY KEY ("device_type","environment")
);

-- CreateTable
CREATE TABLE "device_tokens" (
    "id" UUID NOT NULL,
    "device_id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "device_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "role" "operator_role" NOT NULL,
    "key_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployments" (
    "id" TEXT NOT NULL,
    "artifact" TEXT NOT NULL,
    "target_version" TEXT NOT NULL,
    "manifest" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'planned',
    "current_wave" INTEGER,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "deployments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployment_waves" (
    "id" UUID NOT NULL,
    "deployment_id" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "is_canary" BOOLEAN NOT NULL DEFAULT false,
    "groups" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "exclude_groups" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "percentage" INTEGER NOT NULL DEFAULT 100,
    "soak_minutes" INTEGER NOT NULL DEFAULT 0,
    "require_approval" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "started_at" TIMESTAMPTZ(3),
    "soak_until" TIMESTAMPTZ(3),
    "approved_by" TEXT,
    "approved_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "deployment_waves_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deployment_devices" (
    "deployment_id" TEXT NOT NULL,
    "device_id" TEXT NOT NULL,
    "wave_index" INTEGER NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "target_version" TEXT NOT NULL,
    "from_version" TEXT,
    "assigned_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "error" TEXT,

    CONSTRAINT "deployment_devices_pkey" PRIMARY KEY ("deployment_id","device_id")
);

-- CreateTable
CREATE TABLE "deployment_log" (
    "id" BIGSERIAL NOT NULL,
    "deployment_id" TEXT,
    "device_id" TEXT,
    "action" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deployment_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "catch_up_queue" (
    "id" UUID NOT NULL,
    "device_id" TEXT NOT NULL,
    "target_version" TEXT NOT NULL,
    "deployment_id" TEXT NOT NULL,
    "queued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reason" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL DEFAULT 3,
    "priority" TEXT NOT NULL DEFAULT 'normal',
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_failure" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "closed_at" TIMESTAMPTZ(3),
    "close_reason" TEXT,

    CONSTRAINT "catch_up_queue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "investigation_queue" (
    "id" UUID NOT NULL,
    "device_id" TEXT NOT NULL,
    "catch_up_entry_id" UUID,
    "reason" TEXT NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    "resolution" TEXT,

    CONSTRAINT "investigation_queue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_reports" (
    "id" UUID NOT NULL,
    "trigger" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),
    "devices_synced" INTEGER NOT NULL DEFAULT 0,
    "discrepancies" JSONB NOT NULL DEFAULT '[]',
    "newly_offline" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "newly_online" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "sync_reports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" UUID NOT NULL,
    "device_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "raised_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cleared_at" TIMESTAMPTZ(3),

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL,
    "alert_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),
    "last_error" TEXT,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runtime_state" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "runtime_state_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "devices_serial_number_key" ON "devices"("serial_number");

-- CreateIndex
CREATE UNIQUE INDEX "devices_mac_address_key" ON "devices"("mac_address");

-- CreateIndex
CREATE INDEX "devices_hardware_type_idx" ON "devices"("hardware_type");

-- CreateIndex
CREATE INDEX "devices_current_version_idx" ON "devices"("current_version");

-- CreateIndex
CREATE INDEX "device_status_state_idx" ON "device_status"("state");

-- CreateIndex
CREATE INDEX "device_status_due_at_idx" ON "device_status"("due_at");

-- CreateIndex
CREATE INDEX "device_status_offline_tier_idx" ON "device_status"("offline_tier");

-- CreateIndex
CREATE INDEX "device_tags_key_value_idx" ON "device_tags"("key", "value");

-- CreateIndex
CREATE INDEX "device_tags_value_idx" ON "device_tags"("value");

-- CreateIndex
CREATE INDEX "tag_definitions_category_idx" ON "tag_definitions"("category");

-- CreateIndex
CREATE UNIQUE INDEX "groups_name_key" ON "groups"("name");

-- CreateIndex
CREATE INDEX "group_members_device_id_idx" ON "group_members"("device_id");

-- CreateIndex
CREATE INDEX "heartbeats_device_id_received_at_idx" ON "heartbeats"("device_id", "received_at");

-- CreateIndex
CREATE INDEX "heartbeats_received_at_idx" ON "heartbeats"("received_at");

-- CreateIndex
CREATE INDEX "state_transitions_device_id_at_idx" ON "state_transitions"("device_id", "at");

-- CreateIndex
CREATE INDEX "state_transitions_at_idx" ON "state_transitions"("at");

-- CreateIndex
CREATE INDEX "audit_log_entity_type_entity_id_at_idx" ON "audit_log"("entity_type", "entity_id", "at");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "device_events_device_id_id_idx" ON "device_events"("device_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "device_tokens_token_hash_key" ON "device_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "device_tokens_device_id_idx" ON "device_tokens"("device_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "deployments_state_idx" ON "deployments"("state");

-- CreateIndex
CREATE UNIQUE INDEX "deployment_waves_deployment_id_index_key" ON "deployment_waves"("deployment_id", "index");

-- CreateIndex
CREATE INDEX "deployment_devices_device_id_state_idx" ON "deployment_devices"("device_id", "state");

-- CreateIndex
CREATE INDEX "deployment_log_deployment_id_at_idx" ON "deployment_log"("deployment_id", "at");

-- CreateIndex
CREATE INDEX "deployment_log_device_id_at_idx" ON "deployment_log"("device_id", "at");

-- CreateIndex
CREATE INDEX "catch_up_queue_device_id_status_idx" ON "catch_up_queue"("device_id", "status");

-- CreateIndex
CREATE INDEX "catch_up_queue_status_queued_at_idx" ON "catch_up_queue"("status", "queued_at");

-- CreateIndex
CREATE INDEX "investigation_queue_device_id_idx" ON "investigation_queue"("device_id");

-- CreateIndex
CREATE INDEX "investigation_queue_resolved_at_idx" ON "investigation_queue"("resolved_at");

-- CreateIndex
CREATE INDEX "sync_reports_started_at_idx" ON "sync_reports"("started_at");

-- CreateIndex
CREATE INDEX "alerts_device_id_raised_at_idx" ON "alerts"("device_id", "raised_at");

-- CreateIndex
CREATE INDEX "alerts_cleared_at_idx" ON "alerts"("cleared_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_delivered_at_next_attempt_at_idx" ON "webhook_deliveries"("delivered_at", "next_attempt_at");

-- AddForeignKey
ALTER TABLE "device_status" ADD CONSTRAINT "device_status_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "device_tags" ADD CONSTRAINT "device_tags_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "heartbeats" ADD CONSTRAINT "heartbeats_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "state_transitions" ADD CONSTRAINT "state_transitions_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "device_tokens" ADD CONSTRAINT "device_tokens_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_waves" ADD CONSTRAINT "deployment_waves_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_devices" ADD CONSTRAINT "deployment_devices_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_log" ADD CONSTRAINT "deployment_log_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "catch_up_queue" ADD CONSTRAINT "catch_up_queue_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

