import { ISO_INSTANT_SHAPE, parseIsoInstant } from '../isoInstant.ts';
import { hasForbiddenCharacter } from '../server/inputLimits.ts';
import { RegistryFileError } from './registryFileError.ts';

/** What the API answers for a string it refuses (see `checkText`). */
const FORBIDDEN_CHARACTER = 'contains a control or invisible character';

/**
 * Reads typed fields out of a parsed YAML mapping, keeping the field path
 * so that each error names the file, the exact field and the reason. Every
 * reader accepts a missing key or `null` as "not given" where the field is
 * optional; unknown keys are an error (`done()`), so that a typo is never
 * silently dropped.
 */
export class FieldReader {
  private readonly seen = new Set<string>();

  private constructor(
    readonly file: string,
    readonly path: string,
    private readonly value: Record<string, unknown>,
  ) {}

  /** A reader over `value`, which must be a mapping. */
  static of(file: string, path: string, value: unknown): FieldReader {
    if (!isMapping(value)) {
      throw new RegistryFileError(
        file,
        path,
        `expected a mapping, got ${describe(value)}`,
      );
    }
    return new FieldReader(file, path, value);
  }

  /** The path of a key under this mapping. */
  pathOf(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  /** An error on `key` (or on this mapping when `key` is empty). */
  fail(key: string, reason: string): RegistryFileError {
    return new RegistryFileError(
      this.file,
      key === '' ? this.path : this.pathOf(key),
      reason,
    );
  }

  has(key: string): boolean {
    return this.raw(key) !== undefined && this.raw(key) !== null;
  }

  raw(key: string): unknown {
    this.seen.add(key);
    return Object.hasOwn(this.value, key) ? this.value[key] : undefined;
  }

  /** A nested mapping; absent gives null. */
  object(key: string): FieldReader | null {
    const value = this.raw(key);
    if (value === undefined || value === null) return null;
    return FieldReader.of(this.file, this.pathOf(key), value);
  }

  requiredObject(key: string): FieldReader {
    const reader = this.object(key);
    if (!reader) throw this.fail(key, 'is required');
    return reader;
  }

  /**
   * A string; absent gives null. Refused as the API refuses it: control
   * characters (tab and newline only when `isMultiline`, for free text)
   * and invisible format characters (zero-width, bidi overrides, BOM).
   */
  string(
    key: string,
    options: { maxLength?: number; isMultiline?: boolean } = {},
  ): string | null {
    const value = this.raw(key);
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') {
      throw this.fail(key, `expected a string, got ${describe(value)}`);
    }
    const maxLength = options.maxLength ?? 1000;
    if (value.length > maxLength) {
      throw this.fail(
        key,
        `is ${value.length} characters; at most ${maxLength}`,
      );
    }
    if (hasForbiddenCharacter(value, options)) {
      throw this.fail(key, FORBIDDEN_CHARACTER);
    }
    return value;
  }

  requiredString(
    key: string,
    options: { maxLength?: number; isMultiline?: boolean } = {},
  ): string {
    const value = this.string(key, options);
    if (value === null || value.trim() === '') {
      throw this.fail(key, 'is required (a non-empty string)');
    }
    return value;
  }

  /** One of `allowed`; absent gives null. */
  choice<T extends string>(key: string, allowed: readonly T[]): T | null {
    const value = this.string(key);
    if (value === null) return null;
    if (!(allowed as readonly string[]).includes(value)) {
      throw this.fail(
        key,
        `"${value}" is not one of ${allowed.map((item) => `"${item}"`).join(', ')}`,
      );
    }
    return value as T;
  }

  /** A whole number within [min, max]; absent gives null. */
  integer(
    key: string,
    options: { min?: number; max?: number } = {},
  ): number | null {
    const value = this.raw(key);
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw this.fail(key, `expected a whole number, got ${describe(value)}`);
    }
    const min = options.min ?? 0;
    const max = options.max ?? 2_147_483_647;
    if (value < min || value > max) {
      throw this.fail(key, `${value} is outside ${min}..${max}`);
    }
    return value;
  }

  boolean(key: string): boolean | null {
    const value = this.raw(key);
    if (value === undefined || value === null) return null;
    if (typeof value !== 'boolean') {
      throw this.fail(key, `expected true or false, got ${describe(value)}`);
    }
    return value;
  }

  /**
   * An ISO 8601 instant with a zone, in canonical form; absent is null.
   * The date and time may be apart by a space, as RFC 3339 allows and
   * YAML 1.1 writers (PyYAML) write them.
   */
  timestamp(key: string): string | null {
    const value = this.string(key, { maxLength: 40 });
    if (value === null) return null;
    if (!ISO_INSTANT_SHAPE.test(value)) {
      throw this.fail(
        key,
        `"${value}" is not an ISO 8601 time with a zone, such as 2025-01-16T10:45:00Z`,
      );
    }
    const time = parseIsoInstant(value, { secondsOptional: true });
    if (time === null) {
      throw this.fail(key, `"${value}" is not a valid time`);
    }
    return formatTimestamp(time);
  }

  /** A list of strings; absent gives null. */
  stringList(
    key: string,
    options: { maxItems?: number } = {},
  ): string[] | null {
    const value = this.raw(key);
    if (value === undefined || value === null) return null;
    if (!Array.isArray(value)) {
      throw this.fail(key, `expected a list, got ${describe(value)}`);
    }
    const maxItems = options.maxItems ?? 10_000;
    if (value.length > maxItems) {
      throw this.fail(key, `has ${value.length} items; at most ${maxItems}`);
    }
    return value.map((item: unknown, index) => {
      if (typeof item !== 'string' || item.trim() === '') {
        throw new RegistryFileError(
          this.file,
          `${this.pathOf(key)}[${index}]`,
          `expected a non-empty string, got ${describe(item)}`,
        );
      }
      if (hasForbiddenCharacter(item)) {
        throw new RegistryFileError(
          this.file,
          `${this.pathOf(key)}[${index}]`,
          FORBIDDEN_CHARACTER,
        );
      }
      return item;
    });
  }

  /** A list of mappings, each given to `read` with its path. */
  list<T>(
    key: string,
    read: (item: FieldReader, index: number) => T,
    options: { maxItems?: number } = {},
  ): T[] | null {
    const value = this.raw(key);
    if (value === undefined || value === null) return null;
    if (!Array.isArray(value)) {
      throw this.fail(key, `expected a list, got ${describe(value)}`);
    }
    const maxItems = options.maxItems ?? 100_000;
    if (value.length > maxItems) {
      throw this.fail(key, `has ${value.length} items; at most ${maxItems}`);
    }
    return value.map((item: unknown, index) => {
      const reader = FieldReader.of(
        this.file,
        `${this.pathOf(key)}[${index}]`,
        item,
      );
      const result = read(reader, index);
      reader.done();
      return result;
    });
  }

  /** A mapping of string keys to string values; absent gives null. */
  stringMap(key: string): Record<string, string> | null {
    const reader = this.object(key);
    if (!reader) return null;
    const result: Record<string, string> = {};
    for (const name of reader.keys()) {
      const value = reader.raw(name);
      if (typeof value !== 'string') {
        throw reader.fail(name, `expected a string, got ${describe(value)}`);
      }
      if (hasForbiddenCharacter(name) || hasForbiddenCharacter(value)) {
        throw reader.fail(name, FORBIDDEN_CHARACTER);
      }
      result[name] = value;
    }
    return result;
  }

  keys(): string[] {
    return Object.keys(this.value);
  }

  /** Throws on the first key that no reader asked for. */
  done(): void {
    const unknown = Object.keys(this.value).find((key) => !this.seen.has(key));
    if (unknown !== undefined) {
      throw this.fail(unknown, 'is not a known field');
    }
  }
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short description of a value's type for error messages. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string "${value.slice(0, 40)}"`;
  return `${typeof value} ${String(value)}`;
}

/**
 * The canonical text of an instant: UTC, `Z`, milliseconds only when not
 * zero (`2025-01-16T10:45:00Z`), as the spec writes times.
 */
export function formatTimestamp(time: Date): string {
  return time.toISOString().replace('.000Z', 'Z');
}
