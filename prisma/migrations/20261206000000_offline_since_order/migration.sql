-- The offline escalation view lists a tier's devices oldest first, paged by
-- (offline_since, device_id) (issue 7): this index serves both the order
-- and the keyset without sorting the whole tier.

-- CreateIndex
CREATE INDEX "device_status_offline_tier_offline_since_device_id_idx" ON "device_status"("offline_tier", "offline_since", "device_id");
