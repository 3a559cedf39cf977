// The review share server's TLS identity: one self-signed certificate per workspace (made by `selfsigned`), kept in
// the workspace folder readable by its owner only and reused, so that its SHA-256 fingerprint stays the one the
// organiser told reviewers. A missing, damaged or expiring file is replaced (and the dialog then shows the new one).
import { X509Certificate } from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { TlsCredentials } from './server-hardening';

export const CERTIFICATE_FILE = 'review-share-tls.pem';
const VALID_DAYS = 397;
/** Replaced when it has less than this left, so a round shared today does not break mid-way. */
const RENEW_BEFORE_MS = 14 * 86_400_000;

export interface ShareCertificate extends TlsCredentials {
  /** As Node's peer certificate reports it: upper-case hex pairs joined by ':'. */
  readonly fingerprint256: string;
  readonly validTo: string;
}

export interface CertificateOptions {
  readonly clock?: () => Date;
  /** Names and addresses the certificate covers (default: localhost and every address of this machine). */
  readonly names?: readonly string[];
}

/** The workspace's certificate, made on first use. */
export async function workspaceCertificate(
  workspaceDir: string,
  options: CertificateOptions = {},
): Promise<ShareCertificate> {
  const now = (options.clock ?? (() => new Date()))();
  const file = join(workspaceDir, CERTIFICATE_FILE);
  const existing = await readCertificate(file, now);
  if (existing) return existing;
  await rm(file, { force: true });
  const made = await makeCertificate(now, options.names ?? machineNames());
  const text = `${made.key.trim()}\n${made.cert.trim()}\n`;
  // Written aside with owner-only permissions, then linked into place: a concurrent maker's file wins and is reused.
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await mkdir(workspaceDir, { recursive: true });
  await writeFile(temp, text, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(temp, { force: true });
  }
  return (await readCertificate(file, now)) ?? made;
}

async function readCertificate(file: string, now: Date): Promise<ShareCertificate | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const key = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(text)?.[0];
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(text)?.[0];
  if (key === undefined || cert === undefined) return undefined;
  try {
    const x509 = new X509Certificate(cert);
    if (Date.parse(x509.validTo) - now.getTime() < RENEW_BEFORE_MS) return undefined;
    // Someone (a copy, an unzip) may have widened the permissions: the private key is for the owner only.
    if (process.platform !== 'win32' && ((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
    return { key: `${key}\n`, cert: `${cert}\n`, fingerprint256: x509.fingerprint256, validTo: x509.validTo };
  } catch {
    return undefined;
  }
}

async function makeCertificate(now: Date, names: readonly string[]): Promise<ShareCertificate> {
  const pems = await generate(
    [
      { name: 'commonName', value: 'Dovetail review share' },
      { name: 'organizationName', value: 'Dovetail (self-signed)' },
    ],
    {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: new Date(now.getTime() - 60_000),
      notAfterDate: new Date(now.getTime() + VALID_DAYS * 86_400_000),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: names.map((n) => (isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })),
        },
      ],
    },
  );
  const x509 = new X509Certificate(pems.cert);
  return { key: pems.private, cert: pems.cert, fingerprint256: x509.fingerprint256, validTo: x509.validTo };
}

function machineNames(): string[] {
  const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
  // Link-local IPv6 addresses carry a zone that certificates cannot name.
  return ['localhost', ...new Set(addresses.filter((a) => !a.toLowerCase().startsWith('fe80:')))];
}
