const MB = 1024 * 1024;

/**
 * shared_buffers of a durable embedded server, in megabytes: an eighth of
 * the machine's memory, at least 256 MB and at most 2 GB. PostgreSQL reads
 * a table larger than a quarter of shared_buffers through a small ring of
 * buffers, so once other work (a burst of heartbeats) has pushed the
 * devices table out, every count of the query language read it again
 * from the OS: at 256 MB that was any fleet past about 35,000 devices.
 * An eighth leaves the rest of the machine to Rollcall itself and the OS
 * cache; throwaway test clusters keep 256 MB.
 */
export function sharedBuffersMb(totalMemoryBytes: number): number {
  const eighth = Math.floor(totalMemoryBytes / 8 / MB);
  return Math.min(2048, Math.max(256, eighth));
}
