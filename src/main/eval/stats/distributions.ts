// The few distribution functions the tests need, written to double precision: simple-statistics' chi-square and
// normal functions are table lookups or 1e-7 approximations, too coarse for p-values like 4e-5.
//   lnGamma: Lanczos (g = 7, n = 9), ~1e-15 relative.  Q(a, x): Numerical Recipes' gser/gcf (series below a + 1,
//   modified Lentz continued fraction above).

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x); // reflection
  const z = x - 1;
  let sum = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] as number) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const EPS = 1e-16;
const MAX_ITERATIONS = 10_000;

/** Regularised upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a). */
export function regularizedGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const logPrefix = -x + a * Math.log(x) - lnGamma(a);
  if (x < a + 1) {
    // P(a, x) = e^-x x^a / Γ(a) Σ_n x^n / (a (a+1) ... (a+n))
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < MAX_ITERATIONS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    return 1 - sum * Math.exp(logPrefix);
  }
  // Q(a, x) = e^-x x^a / Γ(a) · 1 / (x + 1 - a - 1(1-a) / (x + 3 - a - 2(2-a) / (x + 5 - a - ...)))
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(logPrefix) * h;
}

/** P(X >= x) for X ~ chi-square with `df` degrees of freedom. */
export function chiSquareSf(x: number, df: number): number {
  return regularizedGammaQ(df / 2, x / 2);
}

/** P(|Z| >= |z|) for a standard normal Z (= chi-square(1) survival at z²). */
export function normalTwoSidedP(z: number): number {
  return chiSquareSf(z * z, 1);
}

/**
 * P(X <= k) for X ~ Binomial(n, p), term by term: t_0 = (1-p)^n, t_{i+1} = t_i (n-i)/(i+1) · p/(1-p). For p = 1/2
 * every step is exact in doubles while C(n, i) < 2^53 (McNemar's exact test uses n < 25).
 */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  const odds = p / (1 - p);
  let term = Math.pow(1 - p, n);
  let total = term;
  for (let i = 0; i < k; i++) {
    term = ((term * (n - i)) / (i + 1)) * odds;
    total += term;
  }
  return Math.min(1, total);
}

/**
 * The z with P(|Z| >= z) = 1 - level (1.959964 for 0.95), by bisection on normalTwoSidedP: 200 halvings of [0, 40]
 * reach double precision, and a level is converted once per analysis.
 */
export function normalQuantileTwoSided(level: number): number {
  let lo = 0;
  let hi = 40;
  for (let i = 0; i < 200 && hi - lo > 1e-15; i++) {
    const mid = (lo + hi) / 2;
    if (normalTwoSidedP(mid) > 1 - level) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
