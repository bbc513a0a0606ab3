-- The hardware and software a device last reported in a heartbeat, kept
-- apart from the registry record so that registry sync can compare the two
-- (issue 5, "History and sync").

-- CreateTable
CREATE TABLE "device_reported_inventory" (
    "device_id" TEXT NOT NULL,
    "hardware" JSONB,
    "software" JSONB,
    "reported_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "device_reported_inventory_pkey" PRIMARY KEY ("device_id")
);

-- AddForeignKey
ALTER TABLE "device_reported_inventory" ADD CONSTRAINT "device_reported_inventory_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;
