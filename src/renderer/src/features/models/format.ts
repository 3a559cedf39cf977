// How model sizes read on the Models screen: parameters as 12.6M / 1.2B, bytes in decimal units as model cards
// write them (25.2 MB), counts with thousands separators.

const UNITS: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'K'],
];

/** 12587904 -> "12.6M"; three significant digits at most. */
export function formatParameters(n: number): string {
  for (const [size, unit] of UNITS) if (n >= size) return `${short(n / size)}${unit}`;
  return String(n);
}

const BYTE_UNITS: [number, string][] = [
  [1e12, 'TB'],
  [1e9, 'GB'],
  [1e6, 'MB'],
  [1e3, 'KB'],
];

/** 25181872 -> "25.2 MB". */
export function formatBytes(n: number): string {
  for (const [size, unit] of BYTE_UNITS) if (n >= size) return `${short(n / size)} ${unit}`;
  return `${n} B`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** One decimal below 100 (12.6, 1.2), none above (135, 360). */
function short(x: number): string {
  const rounded = x < 100 ? Math.round(x * 10) / 10 : Math.round(x);
  return String(rounded);
}
