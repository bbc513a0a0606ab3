import type { BenchId } from './types.ts';

/** Command-line options of `pnpm bench`. */
export interface CliOptions {
  sizes: number[];
  only: BenchId[] | null;
  smoke: boolean;
  /** Which PostgreSQL: embedded, the DATABASE_URL server, or both. */
  targets: Array<'embedded' | 'external'>;
  out: string | null;
}

const IDS: BenchId[] = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6'];
export const DEFAULT_SIZES = [10_000, 100_000];

/**
 * Parses `--size 10000[,100000]`, `--only B2[,B3]`, `--smoke`,
 * `--target embedded|external|all` and `--out file.json`. Without
 * `--target`, the embedded server runs, and DATABASE_URL's too when set.
 */
export function parseArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): CliOptions {
  const options: CliOptions = {
    sizes: DEFAULT_SIZES,
    only: null,
    smoke: false,
    targets: env.DATABASE_URL ? ['embedded', 'external'] : ['embedded'],
    out: null,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=')
      ? arg.split('=', 2)
      : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--size':
      case '--sizes':
        options.sizes = value()
          .split(',')
          .map((s) => Number(s.replace(/_/g, '')));
        if (options.sizes.some((n) => !Number.isInteger(n) || n < 1)) {
          throw new Error('--size takes positive integers');
        }
        break;
      case '--only': {
        const ids = value().toUpperCase().split(',');
        const unknown = ids.filter((id) => !IDS.includes(id as BenchId));
        if (unknown.length > 0)
          throw new Error(`unknown benchmark ${unknown.join(', ')}`);
        options.only = ids as BenchId[];
        break;
      }
      case '--smoke':
        options.smoke = true;
        break;
      case '--target': {
        const t = value();
        if (t === 'all') options.targets = ['embedded', 'external'];
        else if (t === 'embedded' || t === 'external') options.targets = [t];
        else throw new Error('--target is embedded, external or all');
        break;
      }
      case '--out':
        options.out = value();
        break;
      case '--':
        break;
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  if (options.targets.includes('external') && !env.DATABASE_URL) {
    throw new Error('--target external needs DATABASE_URL');
  }
  return options;
}
