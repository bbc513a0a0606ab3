/**
 * Human labels for record fields and metrics: sentence case, acronyms in
 * capitals, the unit a name ends with in brackets ("ramMb" → "RAM (MB)").
 */

const ACRONYMS: Record<string, string> = {
  api: 'API',
  cpu: 'CPU',
  cuda: 'CUDA',
  gpu: 'GPU',
  id: 'ID',
  ip: 'IP',
  mac: 'MAC',
  os: 'OS',
  p95: 'P95',
  p99: 'P99',
  ram: 'RAM',
};

const UNITS: Record<string, string> = {
  mb: 'MB',
  gb: 'GB',
  ms: 'ms',
  seconds: 's',
  percent: '%',
  c: '°C',
};

// Names whose words alone would not read right.
const SPECIAL: Record<string, string> = {
  jetpackVersion: 'JetPack version',
  ipAddress: 'IP address',
  macAddress: 'MAC address',
};

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
}

/** The label of a field or metric name (camelCase or snake_case). */
export function fieldLabel(name: string): string {
  const special = SPECIAL[name];
  if (special) return special;

  const parts = words(name);
  const last = parts[parts.length - 1];
  const unit = parts.length > 1 && last ? UNITS[last] : undefined;
  if (unit) parts.pop();
  const text = parts
    .map((word, index) => {
      const acronym = ACRONYMS[word];
      if (acronym) return acronym;
      return index === 0 ? word.charAt(0).toUpperCase() + word.slice(1) : word;
    })
    .join(' ');
  return unit ? `${text} (${unit})` : text;
}
