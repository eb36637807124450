/**
 * `countersign keys new`: a fresh random key (32 bytes, base64url) and the digest line for
 * `countersign.yaml`, so the config file need never hold the key itself. Give the key to the agent
 * or the person; put the digest in the config (`apiKeySha256:` for an agent, `tokenSha256:` for
 * an approver, or `sha256:` in an `apiKeys:` / `tokens:` list, with an optional `expires:`).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Command } from '../io.js';

export const KEYS_USAGE = `usage: countersign keys new
  Prints a new key and its SHA-256 for countersign.yaml (apiKeySha256: / tokenSha256:).`;

export const keys: Command = async (args, io) => {
  if (args[0] !== 'new' || args.length > 1) {
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout(KEYS_USAGE);
      return 0;
    }
    io.stderr(`countersign keys: ${args[0] === undefined ? 'name a subcommand' : `unknown ${args.join(' ')}`}\n${KEYS_USAGE}`);
    return 2;
  }
  const key = randomBytes(32).toString('base64url');
  const sha256 = createHash('sha256').update(key, 'utf8').digest('hex');
  io.stdout(`key:    ${key}\nsha256: ${sha256}\n# countersign.yaml: apiKeySha256: ${sha256}   (an approver: tokenSha256: ${sha256})`);
  return 0;
};
