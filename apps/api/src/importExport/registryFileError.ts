/**
 * Why one registry file cannot be imported: the file (relative to the
 * registry directory), the field path inside it (`device.hardware.ram_mb`,
 * `catch_up_queue[2].device_id`, or `(file)` / `(yaml)` for the file as a
 * whole) and the reason, in words a person fixing the file can act on.
 */
export class RegistryFileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${file}: ${field}: ${reason}`);
    this.name = 'RegistryFileError';
  }

  /** The error as plain data, for summaries and JSON output. */
  toJSON(): { file: string; field: string; reason: string } {
    return { file: this.file, field: this.field, reason: this.reason };
  }
}
