// The detectors against a planted set generated here (valid checksums computed, not copied): every planted value
// must be found with its kind and exact text (recall 100%), and near-misses with a wrong checksum must not be.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PiiKind } from '../../../shared/contract/privacy';
import { detect, ibanValid, luhnValid } from './detectors';
import { Redactor, compilePatterns } from './scan';
import { plantedRows } from './planted';

describe('checksums', () => {
  it('Luhn accepts known test card numbers and rejects a changed digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });

  it('mod-97 accepts published example IBANs and rejects a changed digit', () => {
    expect(ibanValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanValid('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(ibanValid('GB82WEST12345698765433')).toBe(false);
  });
});

describe('planted personal data', () => {
  const { rows, planted } = plantedRows(7, 40);

  it('finds every planted value with its kind (recall 100% on the planted set)', () => {
    const found = new Map<string, PiiKind>();
    for (const row of rows)
      for (const text of Object.values(row)) for (const f of detect(text)) found.set(f.value, f.kind);
    const missed = planted.filter((p) => found.get(p.value) !== p.kind);
    expect(missed).toEqual([]);
    expect(planted.length).toBeGreaterThanOrEqual(40 * 8);
  });

  it('does not take near-misses (wrong checksum, out-of-range octet, a date, a version string) for personal data', () => {
    const text =
      'Card 4111 1111 1111 1112, IBAN GB82 WEST 1234 5698 7654 33, host 300.1.2.3, on 2024-03-15, version 1.2.3 and ratio 3.14159265.';
    expect(detect(text)).toEqual([]);
  });

  it('replaces the same value by the same placeholder across rows and spellings', () => {
    const redactor = new Redactor([]);
    const a = redactor.redactText('Mail Ann.Lee@example.org or call +44 20 7946 0958.');
    const b = redactor.redactText('ann.lee@example.org again; and bob@example.net, +44 (20) 7946-0958');
    expect(a).toBe('Mail <EMAIL_1> or call <PHONE_1>.');
    expect(b).toBe('<EMAIL_1> again; and <EMAIL_2>, <PHONE_1>');
    expect(redactor.values).toBe(3);
  });

  it("runs the workspace's patterns on the linear-time engine, and names the ones it refuses", () => {
    const { matchers, errors } = compilePatterns([
      { name: 'ticket', pattern: 'TCK-[0-9]{6}' },
      { name: 'slow', pattern: '(a+)+$' },
      { name: 'look', pattern: 'x(?=y)' },
    ]);
    expect(errors).toEqual([expect.stringContaining('Pattern "look"')]);
    const findings = detect(`é ticket TCK-123456 and ${'a'.repeat(50_000)}!`, matchers);
    expect(findings.map((f) => [f.label, f.value])).toEqual([['TICKET', 'TCK-123456']]);
    expect(new Redactor(matchers).redactText('see TCK-123456, TCK-123456 and TCK-000001')).toBe(
      'see <TICKET_1>, <TICKET_1> and <TICKET_2>',
    );
  });
});

describe('false positives on the demo datasets', () => {
  // Every string of every row of both bundled datasets (6,700 rows, 48,300 strings): none holds personal data, so
  // every finding would be a false positive. Life spans such as "(1873-1961)" in WordNet definitions were once taken
  // for bracketed phone numbers (34 findings).
  it.each(['support-triage', 'wordnet-supersense'])('finds nothing in %s', (dataset) => {
    const found: string[] = [];
    const walk = (value: unknown): void => {
      if (typeof value === 'string') found.push(...detect(value).map((f) => `${f.kind}: ${f.value}`));
      else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
    };
    let rows = 0;
    for (const split of ['train', 'validation', 'test']) {
      const file = fileURLToPath(new URL(`../../../../resources/datasets/${dataset}/${split}.jsonl`, import.meta.url));
      for (const line of fs.readFileSync(file, 'utf8').trim().split('\n')) {
        walk(JSON.parse(line));
        rows++;
      }
    }
    expect(rows).toBeGreaterThan(2000);
    expect(found).toEqual([]);
  });
});
