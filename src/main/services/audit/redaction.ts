// What of a call's arguments the audit log keeps: everything but secrets. The table below is the one place that says,
// per method, which arguments are secret; a key that merely looks secret (passphrase, password, token, secret) is
// hidden too wherever it appears, so a method added later without a row here still leaks nothing obvious.
import type { Contract } from '../../../shared/contract';

export const REDACTED = '[redacted]';

export type SecretTable = {
  readonly [S in keyof Contract]?: { readonly [M in keyof Contract[S]['methods']]?: readonly string[] };
};

/** Per method, the top-level arguments that are secret. */
export const SECRET_ARGS: SecretTable = {
  hub: { setToken: ['token'] },
  users: { create: ['passphrase'], setCurrent: ['passphrase'], setPassphrase: ['current', 'next'] },
  // The plan's seed stays hidden until the round closes: in the log it would tell a reader the sides and order.
  reviews: { createRound: ['seed'] },
};

/** Keys hidden wherever they appear, whatever the table says. */
export const SECRET_KEY = /passphrase|password|secret|token$/i;

/** The arguments as the log keeps them: secrets replaced, text made well-formed UTF-16 (lone surrogates replaced). */
export function redactArgs(service: string, method: string, arg: unknown): unknown {
  const table = SECRET_ARGS as Record<string, Record<string, readonly string[]> | undefined>;
  const listed = (Object.hasOwn(table, service) ? table[service] : undefined) ?? {};
  const secrets = new Set(Object.hasOwn(listed, method) ? listed[method] : []);
  return clean(arg, (key, depth) => (depth === 0 && secrets.has(key)) || SECRET_KEY.test(key));
}

function clean(value: unknown, secret: (key: string, depth: number) => boolean, depth = 0): unknown {
  if (typeof value === 'string') return wellFormed(value);
  if (Array.isArray(value)) return value.map((item) => clean(item, secret, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      Object.defineProperty(out, wellFormed(key), {
        value: secret(key, depth) ? REDACTED : clean(item, secret, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** A lone surrogate becomes U+FFFD, as String.prototype.toWellFormed does (canonical JSON refuses lone surrogates). */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
