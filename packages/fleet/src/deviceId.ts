/**
 * Device ids in the spec's generated form `edge-{type}-{environment}-
 * {sequence}` (spec: "Adding a New Device"), such as `edge-jetson-prod-043`.
 *
 * The id uses short forms: hardware families collapse (`jetson-orin-nano`
 * and `jetson-xavier-nx` are both `jetson`), so the id sequence must be
 * kept per short type and short environment (`deviceIdPrefix`), or two
 * families would draw the same id.
 */

/**
 * The id's short form of a hardware type: `jetson*` is `jetson`,
 * `raspberry-pi*` and `rpi*` are `rpi`, anything with `gateway` in it is
 * `gateway`; any other type is itself, lower-cased, with each run of other
 * characters than letters and digits made one `-`. Throws a RangeError when
 * nothing is left.
 */
export function deviceTypeShortName(type: string): string {
  const slug = type
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  if (slug === '') {
    throw new RangeError(
      `Device type ${JSON.stringify(type)} has no letters or digits`,
    );
  }

  if (/^jetson(-|$)/.test(slug)) return 'jetson';
  if (/^(raspberry-pi|raspberrypi|rpi)/.test(slug)) return 'rpi';
  if (/(^|-)gateway(-|$)/.test(slug)) return 'gateway';

  return slug;
}

const ENVIRONMENT_SHORT_NAMES: Readonly<Record<string, string>> = {
  production: 'prod',
  prod: 'prod',
  staging: 'staging',
  stage: 'staging',
  development: 'dev',
  dev: 'dev',
};

/**
 * The id's short form of an environment: `production` is `prod`,
 * `staging` (or `stage`) is `staging`, `development` is `dev`; any other is
 * itself lower-cased with everything but letters and digits removed, so
 * that it is one id segment. Throws a RangeError when nothing is left.
 */
export function environmentShortName(environment: string): string {
  const slug = environment.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (slug === '') {
    throw new RangeError(
      `Environment ${JSON.stringify(environment)} has no letters or digits`,
    );
  }

  return Object.hasOwn(ENVIRONMENT_SHORT_NAMES, slug)
    ? (ENVIRONMENT_SHORT_NAMES[slug] ?? slug)
    : slug;
}

/**
 * The id prefix shared by one sequence, such as `edge-jetson-prod-`: the
 * key the next sequence number is drawn under.
 */
export function deviceIdPrefix(type: string, environment: string): string {
  const shortType = deviceTypeShortName(type);
  return `edge-${shortType}-${environmentShortName(environment)}-`;
}

/**
 * The generated id of the `sequence`th device of a type and environment:
 * `formatDeviceId('jetson-orin-nano', 'production', 43)` is
 * `edge-jetson-prod-043`. The sequence is zero-padded to 3 digits and
 * grows past 999 (`edge-rpi-dev-1000`). Throws a RangeError unless the
 * sequence is an integer >= 1.
 */
export function formatDeviceId(
  type: string,
  environment: string,
  sequence: number,
): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    throw new RangeError(
      `Device id sequence must be an integer >= 1; got ${sequence}`,
    );
  }

  const digits = String(sequence).padStart(3, '0');
  return `${deviceIdPrefix(type, environment)}${digits}`;
}

/** The parts of a generated device id, in their short forms. */
export interface DeviceIdParts {
  type: string;
  environment: string;
  sequence: number;
}

const DEVICE_ID_PATTERN =
  /^edge-([a-z0-9]+(?:-[a-z0-9]+)*)-([a-z0-9]+)-(\d{3,})$/;

/**
 * The parts of an id in the generated form, or null for any other id
 * (ids given at registration may have any form). Only canonical ids parse:
 * `formatDeviceId` of the parts gives the id back, so `edge-jetson-prod-42`
 * and `edge-jetson-orin-prod-001` are null.
 */
export function parseDeviceId(id: string): DeviceIdParts | null {
  const match = DEVICE_ID_PATTERN.exec(id);
  if (!match) return null;

  const [, type = '', environment = '', digits = ''] = match;
  const sequence = Number(digits);
  if (!Number.isSafeInteger(sequence) || sequence < 1) return null;

  const parts = { type, environment, sequence };
  return formatDeviceId(type, environment, sequence) === id ? parts : null;
}
