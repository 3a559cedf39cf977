// A generated planted set for the detectors' tests: rows of ordinary text with personal data of every kind placed in
// them, each value made valid by computing its checksum (IBAN mod-97, card Luhn) from a seeded generator.
import type { PiiKind } from '../../../shared/contract/privacy';
import { Rng as Prng } from '../../eval/stats/prng';

export interface Planted {
  readonly kind: PiiKind;
  readonly value: string;
}

type Rng = () => number;
const digits = (rng: Rng, n: number): string =>
  Array.from({ length: n }, () => String(Math.floor(rng() * 10))).join('');
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;

function luhnComplete(body: string): string {
  for (let d = 0; d <= 9; d++) {
    const n = body + String(d);
    let sum = 0;
    for (let i = 0; i < n.length; i++) {
      let v = n.charCodeAt(n.length - 1 - i) - 48;
      if (i % 2 === 1) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
      sum += v;
    }
    if (sum % 10 === 0) return n;
  }
  return body;
}

function ibanFor(country: string, bban: string): string {
  const moved = `${bban}${country}00`;
  let rest = 0;
  for (const ch of moved) {
    const v = ch >= 'A' ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    rest = (v > 9 ? rest * 100 + v : rest * 10 + v) % 97;
  }
  const check = String(98 - rest).padStart(2, '0');
  return `${country}${check}${bban}`;
}

const group4 = (s: string): string => s.replace(/(.{4})/g, '$1 ').trim();

function plant(kind: PiiKind, rng: Rng): string {
  switch (kind) {
    case 'email':
      return `${pick(rng, ['ann', 'j.smith', 'lee_88', 'maria.garcia', 'o+news'])}${digits(rng, 2)}@${pick(rng, ['example.com', 'mail.example.org', 'corp.example.co.uk'])}`;
    case 'phone':
      return pick(rng, [
        `+44 20 ${digits(rng, 4)} ${digits(rng, 4)}`,
        `+1-202-555-${digits(rng, 4)}`,
        `(555) ${digits(rng, 3)}-${digits(rng, 4)}`,
        `+49 30 ${digits(rng, 8)}`,
        `06 ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)}`,
      ]);
    case 'iban': {
      const iban = pick(rng, [
        ibanFor('DE', digits(rng, 18)),
        ibanFor('GB', `WEST${digits(rng, 14)}`),
        ibanFor('FR', digits(rng, 23)),
        ibanFor('NL', `ABNA${digits(rng, 10)}`),
      ]);
      return rng() < 0.5 ? iban : group4(iban);
    }
    case 'card': {
      const card = pick(rng, [
        luhnComplete(`4${digits(rng, 14)}`),
        luhnComplete(`5${1 + Math.floor(rng() * 5)}${digits(rng, 13)}`),
        luhnComplete(`37${digits(rng, 12)}`),
      ]);
      return rng() < 0.5 || card.length !== 16 ? card : group4(card);
    }
    case 'ipv4':
      return [
        1 + Math.floor(rng() * 223),
        Math.floor(rng() * 256),
        Math.floor(rng() * 256),
        1 + Math.floor(rng() * 254),
      ].join('.');
    case 'ipv6':
      return pick(rng, [
        `2001:db8:${digits(rng, 2)}::${digits(rng, 3)}`,
        `fe80::${Math.floor(rng() * 65535).toString(16)}:${Math.floor(rng() * 65535).toString(16)}:1`,
        `2001:0db8:85a3:0000:0000:8a2e:0370:${digits(rng, 4)}`,
      ]);
    case 'national-id':
      return rng() < 0.5
        ? `${100 + Math.floor(rng() * 500)}-${10 + Math.floor(rng() * 89)}-${1000 + Math.floor(rng() * 8999)}`
        : `${pick(rng, ['AB', 'CE', 'JK', 'PR'])}${digits(rng, 6)}${pick(rng, ['A', 'B', 'C', 'D'])}`;
    case 'custom':
      return '';
  }
}

const SENTENCES: readonly ((v: string) => string)[] = [
  (v) => `Please contact me at ${v} about the refund.`,
  (v) => `My details: ${v}. Thanks!`,
  (v) => `${v} is what I gave the agent yesterday`,
  (v) => `The order (ref 2024-11-03) was paid with ${v}, see attached.`,
  (v) => `Hi team,\nreach out via ${v}\nBest`,
];

/** `n` rows of two text fields; each row holds one planted value of every built-in kind, in varied sentences. */
export function plantedRows(seed: number, n: number): { rows: Record<string, string>[]; planted: Planted[] } {
  const prng = new Prng(seed);
  const rng = (): number => prng.nextUint32() / 2 ** 32;
  const kinds: PiiKind[] = ['email', 'phone', 'iban', 'card', 'ipv4', 'ipv6', 'national-id'];
  const rows: Record<string, string>[] = [];
  const planted: Planted[] = [];
  for (let i = 0; i < n; i++) {
    const parts = kinds.map((kind) => ({ kind, value: plant(kind, rng) }));
    planted.push(...parts);
    const half = Math.ceil(parts.length / 2);
    const say = (p: Planted): string => pick(rng, SENTENCES)(p.value);
    rows.push({ text: parts.slice(0, half).map(say).join(' '), answer: parts.slice(half).map(say).join(' ') });
  }
  // An eighth kind per row: a second email in the answer, so counts per field differ.
  for (const row of rows) {
    const value = plant('email', rng);
    planted.push({ kind: 'email', value });
    row.answer = `${row.answer ?? ''} Cc ${value}`;
  }
  return { rows, planted };
}
