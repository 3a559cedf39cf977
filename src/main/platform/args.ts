// Command-line flags shared by the entries (web.ts, cli.ts): --name value, --name=value and boolean --flag.
import { UserError } from '../../shared/errors';

export interface ParsedArgs {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
}

export function parseArgs(argv: readonly string[], known: Record<string, 'string' | 'boolean'>): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [rawName = '', inline] = arg.slice(2).split(/=(.*)/s, 2);
    const kind = known[rawName];
    if (!kind) {
      throw new UserError(`Unknown option --${rawName}`, {
        where: `--${rawName}`,
        hint: `Known options: ${Object.keys(known)
          .map((k) => `--${k}`)
          .join(', ')}`,
      });
    }
    if (kind === 'boolean') {
      flags.set(rawName, true);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) {
      throw new UserError(`Option --${rawName} needs a value`, { where: `--${rawName}` });
    }
    flags.set(rawName, value);
  }
  return { positional, flags };
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function intFlag(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const value = stringFlag(args, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UserError(`--${name} must be a whole number from ${min} to ${max}`, { where: `--${name}` });
  }
  return n;
}
