// Symbolic dim arithmetic for shape inference: a dim is a number or a polynomial over dim names with integer
// coefficients, written in one canonical form ("T*3+n*3", "n+past_sequence_length+sequence_length") so that a dim
// computed two ways (Concat of three copies, Reshape with -1) compares equal as a string.
import type { Dim } from './shape';

/** Monomial key (names sorted, joined by "*"; "" for the constant term) -> integer coefficient. */
type Poly = Map<string, number>;

/** Names with characters outside [\w.] (spaces, "/") are taken whole, never parsed as arithmetic. */
const ARITHMETIC = /^[\w.]+([+\-*][\w.]+)*$/;

export function parseDim(d: Dim): Poly {
  const p: Poly = new Map();
  if (typeof d === 'number') {
    if (d !== 0) p.set('', d);
    return p;
  }
  if (!ARITHMETIC.test(d)) return new Map([[d, 1]]);
  for (const match of d.matchAll(/([+-]?)([^+-]+)/g)) {
    const sign = match[1] === '-' ? -1 : 1;
    let coeff = sign;
    const names: string[] = [];
    for (const factor of (match[2] as string).split('*')) {
      if (/^\d+$/.test(factor)) coeff *= Number(factor);
      else names.push(factor);
    }
    addTerm(p, names.sort().join('*'), coeff);
  }
  return p;
}

/** The canonical dim, or undefined when it would be negative or not a valid dim name (e.g. "-T"). */
export function formatDim(p: Poly): Dim | undefined {
  const terms = [...p.entries()].filter(([, c]) => c !== 0);
  if (terms.some(([key]) => key.includes('?'))) return undefined; // an unknown dim (UNKNOWN_DIM) stays unknown
  if (terms.every(([key]) => key === '')) {
    const value = terms[0]?.[1] ?? 0;
    return value >= 0 ? value : undefined;
  }
  // Named terms sorted (positive first), the constant last: "T*3+n*3", "past_sequence_length-1".
  terms.sort(([ka, ca], [kb, cb]) =>
    ka === '' ? 1 : kb === '' ? -1 : Math.sign(cb) - Math.sign(ca) || (ka < kb ? -1 : ka > kb ? 1 : 0),
  );
  let text = '';
  for (const [key, coeff] of terms) {
    const magnitude = Math.abs(coeff);
    const body = key === '' ? String(magnitude) : magnitude === 1 ? key : `${key}*${magnitude}`;
    text += text === '' ? (coeff < 0 ? `-${body}` : body) : `${coeff < 0 ? '-' : '+'}${body}`;
  }
  return /^[A-Za-z_]/.test(text) ? text : undefined;
}

export function canonicalDim(d: Dim): Dim {
  if (typeof d === 'number' || !ARITHMETIC.test(d)) return d;
  return formatDim(parseDim(d)) ?? d;
}

export function addDims(a: Dim, b: Dim, sign = 1): Dim | undefined {
  const p = new Map(parseDim(a));
  for (const [key, coeff] of parseDim(b)) addTerm(p, key, sign * coeff);
  return formatDim(p);
}

export function subDims(a: Dim, b: Dim): Dim | undefined {
  return addDims(a, b, -1);
}

export function mulDims(a: Dim, b: Dim): Dim | undefined {
  return formatDim(mulPoly(parseDim(a), parseDim(b)));
}

export function productOfDims(dims: readonly Dim[]): Dim | undefined {
  let p: Poly = new Map([['', 1]]);
  for (const d of dims) p = mulPoly(p, parseDim(d));
  return formatDim(p);
}

/**
 * (product of `numerator`) / (product of `denominator`), or undefined when it is not a whole dim. Equal factors
 * cancel first (so "(n+T)*3*B / B" works); what remains of the denominator must be a single monomial.
 */
export function divideDims(numerator: readonly Dim[], denominator: readonly Dim[]): Dim | undefined {
  const top = numerator.map(canonicalDim);
  const bottom: Dim[] = [];
  for (const d of denominator.map(canonicalDim)) {
    const i = top.indexOf(d);
    if (i >= 0 && d !== 0) top.splice(i, 1);
    else bottom.push(d);
  }
  let p: Poly = new Map([['', 1]]);
  for (const d of top) p = mulPoly(p, parseDim(d));
  let divisor: Poly = new Map([['', 1]]);
  for (const d of bottom) divisor = mulPoly(divisor, parseDim(d));
  if (divisor.size !== 1) return undefined;
  const [[divKey, divCoeff]] = [...divisor.entries()] as [[string, number]];
  const divNames = divKey === '' ? [] : divKey.split('*');
  const out: Poly = new Map();
  for (const [key, coeff] of p) {
    const names = key === '' ? [] : key.split('*');
    for (const name of divNames) {
      const i = names.indexOf(name);
      if (i < 0) return undefined;
      names.splice(i, 1);
    }
    if (coeff % divCoeff !== 0) return undefined;
    addTerm(out, names.join('*'), coeff / divCoeff);
  }
  return formatDim(out);
}

function mulPoly(a: Poly, b: Poly): Poly {
  const out: Poly = new Map();
  for (const [ka, ca] of a) {
    for (const [kb, cb] of b) {
      const names = [...(ka === '' ? [] : ka.split('*')), ...(kb === '' ? [] : kb.split('*'))].sort();
      addTerm(out, names.join('*'), ca * cb);
    }
  }
  return out;
}

function addTerm(p: Poly, key: string, coeff: number): void {
  const next = (p.get(key) ?? 0) + coeff;
  if (next === 0) p.delete(key);
  else p.set(key, next);
}
