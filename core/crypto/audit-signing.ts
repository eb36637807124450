/**
 * Ed25519 signatures on audit entries (policies with `auditLog.signedEntries: true`). An entry's
 * signature is over its chain hash, which commits to the previous entry and to the entry's
 * canonical form, so a signed entry cannot be edited, moved or re-chained without its key. The
 * key id is the first 16 hex of sha256 of the public key (SPKI DER): several public keys verify
 * one log across a rotation, and each entry names the key that signed it.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export const AUDIT_SIGNATURE_ALGORITHM = 'Ed25519';

/** What a signed entry carries besides its hash. */
export interface AuditSignature {
  alg: typeof AUDIT_SIGNATURE_ALGORITHM;
  /** The signing key's id. */
  kid: string;
  /** base64 of the signature over the entry's hash (its 32 bytes). */
  value: string;
}

/** `sha256(SPKI DER)` as 16 hex: the id entries name their key by. */
export function auditKeyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

export interface AuditSigner {
  readonly kid: string;
  /** The PEM of the public key, for `audit verify --public-key`. */
  readonly publicKeyPem: string;
  sign(hashHex: string): AuditSignature;
}

/**
 * A signer from a PKCS#8 PEM private key.
 * @throws {Error} when the PEM is not an Ed25519 private key.
 */
export function auditSigner(privateKeyPem: string): AuditSigner {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the audit signing key must be an Ed25519 key (PKCS#8 PEM), not ${key.asymmetricKeyType ?? 'a symmetric key'}`);
  const publicKey = createPublicKey(key);
  const kid = auditKeyId(publicKey);
  return {
    kid,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (hashHex) => ({ alg: AUDIT_SIGNATURE_ALGORITHM, kid, value: sign(null, Buffer.from(hashHex, 'hex'), key).toString('base64') }),
  };
}

/** A new Ed25519 key pair as PEM (PKCS#8 private, SPKI public). */
export function generateAuditSigningKey(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Public keys by id, from PEM texts (SPKI public keys, or private keys whose public half is taken). */
export function auditPublicKeys(pems: readonly string[]): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const pem of pems) {
    const key = pem.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 public key (${key.asymmetricKeyType})`);
    keys.set(auditKeyId(key), key);
  }
  return keys;
}

/** Whether `signature` is `publicKey`'s over the entry hash `hashHex`. */
export function verifyAuditSignature(publicKey: KeyObject, hashHex: string, signature: AuditSignature): boolean {
  try {
    return verify(null, Buffer.from(hashHex, 'hex'), publicKey, Buffer.from(signature.value, 'base64'));
  } catch {
    return false;
  }
}
