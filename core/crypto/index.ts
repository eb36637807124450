/**
 * The digests and signatures of the contract: action ids, request hashes, verdict-callback
 * signatures and the HMAC helpers every signature scheme uses. Uses node:crypto, so workflow code
 * never imports it (the rest of core/ is workflow-safe).
 */
export { actionId, tenantOf } from './action-id.js';
export { requestHash } from './request-hash.js';
export { anyEquals, hmacSha256, safeEqual } from './hmac.js';
export {
  CALLBACK_TOLERANCE_SECONDS,
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  signCallback,
  TIMESTAMP_HEADER,
  verifyCallbackSignature,
} from './callback-signing.js';
export { GENESIS_HASH, hashRecord, sha256Hex, type AuditRecord } from './audit-record.js';
export { verifyAuditLog, type VerifyOptions, type VerifyResult } from './audit-verify.js';
export {
  AUDIT_SIGNATURE_ALGORITHM,
  auditKeyId,
  auditPublicKeys,
  auditSigner,
  generateAuditSigningKey,
  verifyAuditSignature,
  type AuditSignature,
  type AuditSigner,
} from './audit-signing.js';
