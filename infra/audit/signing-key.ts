/**
 * Where the audit signing key comes from: `COUNTERSIGN_AUDIT_SIGNING_KEY_FILE` (an Ed25519 PKCS#8
 * PEM); on the embedded default without it, a key made once in the data dir (its public half
 * beside it, for `countersign audit verify`); in production without it, none, and a worker whose
 * policies ask for signed entries refuses to start, naming the variable.
 */
import { existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { auditSigner, generateAuditSigningKey, type AuditSigner } from '../../core/crypto/index.js';
import { ConfigError } from '../config/index.js';
import type { Logger } from '../logger.js';

export const AUDIT_KEY_VARIABLE = 'COUNTERSIGN_AUDIT_SIGNING_KEY_FILE';
export const DEFAULT_KEY_FILE = 'audit-signing-key.pem';
/** The public key beside the log: `audit verify` finds it there. */
export const DEFAULT_PUBLIC_KEY_FILE = 'audit-signing-key.pub.pem';

export interface SigningKeyOptions {
  keyFile: string | undefined;
  dataDir: string;
  /** The embedded default (no TEMPORAL_ADDRESS): a key may be made in the data dir. */
  embedded: boolean;
  logger: Logger;
}

/** The signer this worker uses, or null (production without a key). @throws {ConfigError} for an unreadable or wrong key. */
export async function resolveAuditSigner(o: SigningKeyOptions): Promise<AuditSigner | null> {
  if (o.keyFile) {
    let pem: string;
    try {
      pem = await readFile(o.keyFile, 'utf8');
    } catch (error) {
      throw new ConfigError([{ where: AUDIT_KEY_VARIABLE, message: `${o.keyFile} cannot be read (${(error as Error).message}): point it at an Ed25519 private key in PKCS#8 PEM` }]);
    }
    try {
      const signer = auditSigner(pem);
      o.logger.info({ kid: signer.kid, keyFile: o.keyFile }, `audit entries of signing blueprints are signed with key ${signer.kid}`);
      return signer;
    } catch (error) {
      throw new ConfigError([{ where: AUDIT_KEY_VARIABLE, message: `${o.keyFile}: ${(error as Error).message} (make one with: openssl genpkey -algorithm ed25519 -out audit-signing-key.pem)` }]);
    }
  }
  if (!o.embedded) return null;
  const keyFile = path.join(o.dataDir, DEFAULT_KEY_FILE);
  const publicFile = path.join(o.dataDir, DEFAULT_PUBLIC_KEY_FILE);
  if (!existsSync(keyFile)) {
    const pair = generateAuditSigningKey();
    await writeFile(keyFile, pair.privateKeyPem, { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error; // another process made it first
    });
    await chmod(keyFile, 0o600);
  }
  const signer = auditSigner(await readFile(keyFile, 'utf8'));
  if (!existsSync(publicFile)) await writeFile(publicFile, signer.publicKeyPem);
  o.logger.info({ kid: signer.kid, publicKey: publicFile }, `audit entries of signing blueprints are signed with key ${signer.kid}; its public key is ${publicFile}`);
  return signer;
}

/** The error a worker without a key stops with when `blueprints` ask for signed entries. */
export function missingSigningKey(blueprints: readonly string[]): ConfigError {
  return new ConfigError([
    {
      where: AUDIT_KEY_VARIABLE,
      message: `blueprint${blueprints.length > 1 ? 's' : ''} ${blueprints.join(', ')} ask${blueprints.length > 1 ? '' : 's'} for signed audit entries (auditLog.signedEntries: true) but no signing key is set: point ${AUDIT_KEY_VARIABLE} at an Ed25519 private key in PKCS#8 PEM (openssl genpkey -algorithm ed25519)`,
    },
  ]);
}
