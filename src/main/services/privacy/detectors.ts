// Built-in personal-data detectors: each finds candidates with a pattern of bounded repetition (no nested or
// unbounded quantifier that can backtrack over a long run) and keeps only those that pass a validity check: mod-97
// for IBANs, Luhn plus issuer prefixes for card numbers, octet ranges for IPv4, node:net for IPv6, SSN/NINO rules.
// Written here because no kept library finds these in free text; the checks are a few lines each.
import { isIPv6 } from 'node:net';
import type { PiiKind } from '../../../shared/contract/privacy';

export interface Finding {
  readonly kind: PiiKind;
  /** The placeholder's stem (EMAIL, PHONE, ... or a user pattern's name in capitals). */
  readonly label: string;
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

interface Detector {
  readonly kind: PiiKind;
  readonly label: string;
  readonly candidates: RegExp;
  readonly valid: (value: string, text: string, start: number, end: number) => boolean;
  /** When the whole candidate is not valid: the length of a valid prefix ending before a space, or 0. */
  readonly shorter?: (value: string) => number;
}

const digitsOf = (s: string): string => s.replace(/\D/g, '');

/** Luhn (ISO/IEC 7812) check digit. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** ISO 13616 mod-97: the country and check digits moved to the end, letters as 10..35, remainder 1. */
export function ibanValid(iban: string): boolean {
  const s = iban.replace(/ /g, '').toUpperCase();
  const expected = IBAN_LENGTHS[s.slice(0, 2)];
  if (expected !== undefined ? s.length !== expected : s.length < 15 || s.length > 34) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const v = ch >= 'A' ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    rest = (v > 9 ? rest * 100 + v : rest * 10 + v) % 97;
  }
  return rest === 1;
}

/** Lengths of the common countries' IBANs (others: 15-34 characters). */
const IBAN_LENGTHS: Record<string, number> = {
  AT: 20,
  BE: 16,
  CH: 21,
  CZ: 24,
  DE: 22,
  DK: 18,
  ES: 24,
  FI: 18,
  FR: 27,
  GB: 22,
  IE: 22,
  IT: 27,
  LU: 20,
  NL: 18,
  NO: 15,
  PL: 28,
  PT: 25,
  SE: 24,
};

/** Issuer prefixes of the card schemes people paste (Visa, Mastercard, Amex, Discover, JCB, Diners). */
function cardIssuer(d: string): boolean {
  const two = Number(d.slice(0, 2));
  const four = Number(d.slice(0, 4));
  const three = Number(d.slice(0, 3));
  if (d[0] === '4') return d.length === 13 || d.length === 16 || d.length === 19;
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return d.length === 16;
  if (two === 34 || two === 37) return d.length === 15;
  if (four === 6011 || two === 65 || (three >= 644 && three <= 649)) return d.length >= 16;
  if (two === 35) return d.length >= 16;
  if (two === 36 || two === 38 || (three >= 300 && three <= 305)) return d.length === 14;
  return false;
}

/** Neither a letter, digit nor joining mark on that side: the candidate is a token of its own. */
function bounded(text: string, start: number, end: number, joiners: RegExp): boolean {
  const before = text[start - 1] ?? ' ';
  const after = text[end] ?? ' ';
  return (
    !/[\p{L}\p{N}_]/u.test(before) &&
    !/[\p{L}\p{N}_]/u.test(after) &&
    !joiners.test(before) &&
    !(joiners.test(after) && /[\p{L}\p{N}]/u.test(text[end + 1] ?? ''))
  );
}

function phoneValid(value: string, text: string, start: number, end: number): boolean {
  const d = digitsOf(value);
  if (d.length < 8 || d.length > 15 || !bounded(text, start, end, /[.\-/]/)) return false;
  if (/^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$/.test(value) || /^\d{4}-\d{2}-\d{2}/.test(value)) return false; // a date
  if (/^\d+\.\d+$/.test(value)) return false; // a decimal number
  if (value.startsWith('+')) return true;
  // Without a country code: a trunk-prefixed national number (0...), an area code in brackets, or North American
  // 3-3-4 grouping. Other grouped digits (account numbers, a mistyped IBAN's tail) are not taken for phones.
  const groups = value.split(/[ ().\-/]+/).filter(Boolean);
  if (d.length > 12) return false;
  // "(555) 123-4567": the bracket closes after an area code; "(1873-1961" (a life span) is no phone number.
  if (value.startsWith('(')) return /^\(\d{2,5}\)/.test(value) && groups.length >= 2;
  if (/^\d{3}[ .-]\d{3}[ .-]\d{4}$/.test(value)) return true;
  return d.startsWith('0') && d.length >= 9 && groups.every((g) => g.length <= 5 || groups.length === 1);
}

function ssnValid(value: string): boolean {
  const [area, group, serial] = value.split('-');
  return area !== '000' && area !== '666' && !(area ?? '9').startsWith('9') && group !== '00' && serial !== '0000';
}

/** In priority order: an earlier detector's finding hides any later candidate overlapping it. */
const DETECTORS: readonly Detector[] = [
  {
    kind: 'email',
    label: 'EMAIL',
    // Anchored at the @: the local part (at most 64) and the domain (at most 253) are bounded.
    candidates:
      /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?){0,8}\.[A-Za-z]{2,24}/g,
    valid: (v, text, s) => !/[.]$/.test(v.split('@')[0] ?? '') && !/[A-Za-z0-9._%+-]/.test(text[s - 1] ?? ''),
  },
  {
    kind: 'iban',
    label: 'IBAN',
    candidates: /[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}/g,
    valid: (v, text, s, e) => bounded(text, s, e, /[-]/) && ibanValid(v),
    // A candidate that ran on into the next word ("... 7654 32 EUR"): the longest prefix that is a valid IBAN.
    shorter: (v) => {
      for (let end = v.length - 1; end >= 15; end--)
        if (v[end - 1] !== ' ' && v[end] === ' ' && ibanValid(v.slice(0, end))) return end;
      return 0;
    },
  },
  {
    kind: 'card',
    label: 'CARD',
    candidates: /\d(?:[ -]?\d){12,18}/g,
    valid: (v, text, s, e) => {
      const d = digitsOf(v);
      return bounded(text, s, e, /[.-]/) && luhnValid(d) && cardIssuer(d);
    },
  },
  {
    kind: 'national-id',
    label: 'NATIONAL_ID',
    // US social security numbers (dashed) and UK National Insurance numbers.
    candidates: /\d{3}-\d{2}-\d{4}|[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]/g,
    valid: (v, text, s, e) =>
      bounded(text, s, e, /[-]/) && (/^\d/.test(v) ? ssnValid(v) : !/^(BG|GB|NK|KN|TN|NT|ZZ)/.test(v)),
  },
  {
    kind: 'ipv4',
    label: 'IP',
    candidates: /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/g,
    valid: (v, text, s, e) =>
      bounded(text, s, e, /[.]/) && v.split('.').every((o) => Number(o) <= 255 && (o.length === 1 || o[0] !== '0')),
  },
  {
    kind: 'ipv6',
    label: 'IP',
    candidates: /[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}/g,
    valid: (v, text, s, e) =>
      bounded(text, s, e, /[:]/) &&
      /[0-9A-Fa-f]/.test(v) &&
      (v.includes('::') || v.split(':').length === 8) &&
      isIPv6(v),
  },
  {
    kind: 'phone',
    label: 'PHONE',
    candidates: /\+?\(?\d[\d ().\-/]{6,22}\d/g,
    valid: phoneValid,
  },
];

/** A user's pattern compiled on the linear-time engine: every match (start, end) in a text. */
export interface PatternMatcher {
  readonly name: string;
  matches(text: string): { start: number; end: number }[];
}

/** Every finding in one text, non-overlapping, in text order. */
export function detect(text: string, patterns: readonly PatternMatcher[] = []): Finding[] {
  const found: Finding[] = [];
  const taken = (start: number, end: number): boolean => found.some((f) => start < f.end && end > f.start);
  for (const d of DETECTORS) {
    if (!quickCheck(d.kind, text)) continue;
    for (const m of text.matchAll(d.candidates)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken(start, end)) continue;
      if (d.valid(m[0], text, start, end)) found.push({ kind: d.kind, label: d.label, start, end, value: m[0] });
      else {
        const length = d.shorter?.(m[0]) ?? 0;
        if (length > 0)
          found.push({ kind: d.kind, label: d.label, start, end: start + length, value: m[0].slice(0, length) });
      }
    }
  }
  for (const p of patterns) {
    for (const { start, end } of p.matches(text)) {
      if (end > start && !taken(start, end))
        found.push({ kind: 'custom', label: p.name.toUpperCase(), start, end, value: text.slice(start, end) });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Skips a detector whose anchor character the text lacks (most texts have no @ and no run of digits). */
function quickCheck(kind: PiiKind, text: string): boolean {
  if (kind === 'email') return text.includes('@');
  if (kind === 'ipv6') return text.includes(':');
  return /\d/.test(text);
}

/** The form under which two spellings of one value share a placeholder (case, spaces and dashes ignored). */
export function canonical(f: Finding): string {
  if (f.kind === 'email' || f.kind === 'ipv6' || f.kind === 'custom') return f.value.toLowerCase();
  if (f.kind === 'iban' || f.kind === 'national-id') return f.value.replace(/[\s-]/g, '').toUpperCase();
  if (f.kind === 'ipv4') return f.value;
  return digitsOf(f.value);
}
