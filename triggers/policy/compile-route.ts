import { formatDuration } from '../duration.js';
import { PolicyErrorCode } from '../errors.js';
import type { ApprovalRoute } from '../../core/index.js';
import type { CompiledRoute } from './compiled.js';
import type { CompileContext } from './context.js';
import type { RouteFields } from './schema.js';
import type { YamlPath } from './yaml-source.js';

/** Built-in defaults when neither the rule nor `approvalDefaults` says: one person, within an hour, on the web channel. */
export const BUILTIN_DEFAULTS: Omit<ApprovalRoute, 'approvers'> = {
  channel: 'web',
  quorum: 1,
  slaSeconds: 3600,
  remindEverySeconds: null,
  escalateTo: null,
  escalateAfterSeconds: null,
  severity: 'warning',
};

type RouteInput = Partial<RouteFields> & { approver?: string };

/**
 * Compiles one rule's route over the defaults, checking groups, channel, durations and that a
 * reminder or escalation can fire before the SLA ends.
 */
export function compileRoute(ctx: CompileContext, fields: RouteInput, path: YamlPath, defaults: Omit<ApprovalRoute, 'approvers'>, approver: string | null): CompiledRoute {
  const approvers = approver === null ? [] : [ctx.group(approver, [...path, fields.approver === approver ? 'approver' : 'approval'])];
  const slaSeconds = ctx.duration(fields.sla, [...path, 'sla']) ?? defaults.slaSeconds;
  const remindEverySeconds = ctx.duration(fields.remindEvery, [...path, 'remindEvery']) ?? defaults.remindEverySeconds;
  const escalateAfterSeconds = ctx.duration(fields.escalateAfter, [...path, 'escalateAfter']) ?? defaults.escalateAfterSeconds;
  const escalateTo = fields.escalateTo === undefined ? defaults.escalateTo : ctx.group(fields.escalateTo, [...path, 'escalateTo']);

  if (slaSeconds <= 0) ctx.fail(PolicyErrorCode.InvalidValue, '`sla` must be longer than 0s', 'write e.g. `sla: 30m`', [...path, 'sla']);
  if (remindEverySeconds !== null && remindEverySeconds >= slaSeconds && fields.remindEvery !== undefined) {
    ctx.fail(PolicyErrorCode.InvalidValue, `\`remindEvery\` (${formatDuration(remindEverySeconds)}) must be shorter than the SLA (${formatDuration(slaSeconds)}), or no reminder is ever sent`,
      'shorten remindEvery or lengthen sla', [...path, 'remindEvery']);
  }
  if ((escalateTo === null) !== (escalateAfterSeconds === null)) {
    const missing = escalateTo === null ? 'escalateTo' : 'escalateAfter';
    ctx.fail(PolicyErrorCode.MissingField, '`escalateTo` and `escalateAfter` go together', `add \`${missing}:\``, [...path, escalateTo === null ? 'escalateAfter' : 'escalateTo']);
  } else if (escalateAfterSeconds !== null && escalateAfterSeconds >= slaSeconds && fields.escalateAfter !== undefined) {
    ctx.fail(PolicyErrorCode.InvalidValue, `\`escalateAfter\` (${formatDuration(escalateAfterSeconds)}) must be shorter than the SLA (${formatDuration(slaSeconds)}), or it never escalates`,
      'shorten escalateAfter or lengthen sla', [...path, 'escalateAfter']);
  }
  return {
    approvers,
    channel: ctx.channel(fields.channel, defaults.channel, [...path, 'channel']),
    quorum: fields.quorum ?? defaults.quorum,
    slaSeconds,
    remindEverySeconds,
    escalateTo,
    escalateAfterSeconds,
    severity: fields.severity ?? defaults.severity,
    rule: ctx.rule(path),
  };
}
