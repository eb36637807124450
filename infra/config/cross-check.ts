/** Checks across `countersign.yaml` entries that its schema alone cannot make. */
import { createHash } from 'node:crypto';
import { nodeAt, type PositionedYaml } from '../../triggers/index.js';
import type { ConfigProblem } from './problems.js';
import type { ServiceConfigFile } from './schema.js';
import { dotted, locate } from './where.js';

/**
 * Unique agent ids, approver ids and bearer secrets (agent keys and approver tokens together), and
 * groups naming only known approvers. Appends positioned problems.
 */
export function crossCheck(cfg: ServiceConfigFile, p: PositionedYaml, file: string, problems: ConfigProblem[]): void {
  const at = (path: PropertyKey[]) => locate(p, file, nodeAt(p, path).node?.range?.[0]);
  const unique = (list: { value: string; path: PropertyKey[] }[], what: string) => {
    const seen = new Map<string, PropertyKey[]>();
    for (const item of list) {
      const first = seen.get(item.value);
      if (first) {
        problems.push({
          where: at(item.path),
          path: dotted(item.path),
          message: `duplicate ${what}: ${dotted(first)} already uses it; every ${what} must be unique`,
        });
      } else {
        seen.set(item.value, item.path);
      }
    }
  };
  unique(cfg.agents.map((a, i) => ({ value: a.id, path: ['agents', i, 'id'] })), 'agent id');
  unique(cfg.approvers.map((a, i) => ({ value: a.id, path: ['approvers', i, 'id'] })), 'approver id');
  // Agent keys and approver tokens share the `Authorization: Bearer` namespace: unique across both.
  unique(
    [
      ...cfg.agents.flatMap((a, i) => (a.credentials ?? []).map((c) => ({ value: c.sha256, path: ['agents', i, 'apiKey'] as PropertyKey[] }))),
      ...cfg.approvers.flatMap((a, i) => (a.credentials ?? []).map((c) => ({ value: c.sha256, path: ['approvers', i, 'token'] as PropertyKey[] }))),
      ...cfg.admins.map((a, i) => ({ value: createHash('sha256').update(a.token, 'utf8').digest('hex'), path: ['admins', i, 'token'] as PropertyKey[] })),
    ],
    'API key, approver or admin token',
  );
  const approverIds = new Set(cfg.approvers.map((a) => a.id));
  for (const [group, members] of Object.entries(cfg.groups)) {
    members.forEach((member, i) => {
      if (!approverIds.has(member)) {
        problems.push({
          where: at(['groups', group, i]),
          path: dotted(['groups', group, i]),
          message: `group "${group}" names unknown approver "${member}": add it under approvers or remove it from the group`,
        });
      }
    });
  }
}
