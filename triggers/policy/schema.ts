import { z } from 'zod';

/**
 * The policy file format: the four NemoClaw blueprints verbatim, plus the fields Countersign adds
 * (per-rule `sla`, `quorum`, `remindEvery`, `escalateTo`/`escalateAfter`, `severity`,
 * `security.approvalDefaults`, `restrictedApproval`, `rateLimit.remediations`). Every section is
 * strict so a misspelt key is an error with a "did you mean" hint. Durations, expressions, change
 * windows, groups and channels are checked with positions by the compiler, not here.
 */
const name = z.string().min(1, 'must not be empty');
const duration = z.union([z.string(), z.number()], { error: 'must be a duration such as 60s, 5m, 1h or 2d' });
const durationField = duration.optional();
const stringList = z.array(z.string().min(1, 'must not be empty'), { error: 'must be a list, e.g. [a, b]' });

/** Fields any rule that asks a person may carry. */
const routeFields = {
  channel: z.string().optional(),
  sla: durationField,
  quorum: z.number().int('must be a whole number').min(1, 'must be at least 1').max(25, 'must be at most 25').optional(),
  remindEvery: durationField,
  escalateTo: name.optional(),
  escalateAfter: durationField,
  severity: z.enum(['critical', 'error', 'warning', 'info']).optional(),
};

export const RouteSchema = z.strictObject({ approver: name, ...routeFields });

export const ApprovalWorkflowSchema = z.strictObject({ trigger: name, approver: name, ...routeFields });

export const ExecuteSchema = z.strictObject({
  playbook: name.optional(),
  action: name.optional(),
  condition: name.optional(),
  approval: name,
  ...routeFields,
});

const resourceFields = {
  read: stringList.optional(),
  write: stringList.optional(),
  restricted: stringList.optional(),
  restrictedApproval: RouteSchema.optional(),
};

export const PermissionSystemSchema = z.strictObject({
  ...resourceFields,
  send: z.enum(['allowed', 'allowed-with-review', 'denied']).optional(),
  template: z.enum(['required', 'optional']).optional(),
  bcc: stringList.optional(),
});

/** Flat permissions, or grouped by system: any other key is a system such as `salesforce`. */
export const PermissionsSchema = z
  .object({ ...resourceFields, execute: z.array(ExecuteSchema).optional() })
  .catchall(PermissionSystemSchema);

const domainRule = z.strictObject({
  domain: name,
  methods: z.array(z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])).optional(),
});

export const SecuritySchema = z.strictObject({
  isolationLevel: z.enum(['standard', 'strict', 'paranoid']).optional(),
  dataClassification: z
    .array(
      z.strictObject({
        field: name,
        type: z.enum(['PII', 'restricted', 'confidential', 'internal', 'public']),
        action: z.enum(['redact-from-logs', 'local-only-processing', 'mask', 'none']).optional(),
      }),
    )
    .optional(),
  permissions: PermissionsSchema.optional(),
  approvalWorkflows: z.array(ApprovalWorkflowSchema).optional(),
  approvalDefaults: z.strictObject({ approver: name.optional(), ...routeFields }).optional(),
  networkPolicy: z
    .strictObject({ egress: z.array(domainRule).optional(), deny: z.array(domainRule).optional() })
    .optional(),
  privacyRouter: z.record(z.string(), z.enum(['local-only', 'cloud-allowed'])).optional(),
  rateLimit: z
    .strictObject({
      maxActionsPerMinute: z.number().int('must be a whole number').min(1, 'must be at least 1').optional(),
      maxRemediationsPerHour: z.number().int('must be a whole number').min(1, 'must be at least 1').optional(),
      cooldownAfterRemediation: durationField,
      remediations: stringList.optional(),
    })
    .optional(),
  auditLog: z
    .strictObject({
      destination: z.union([name, stringList]).optional(),
      retentionDays: z.number().int().min(1).optional(),
      includeModelInputOutput: z.boolean().optional(),
      piiRedaction: z.boolean().optional(),
      immutable: z.boolean().optional(),
      signedEntries: z.boolean().optional(),
    })
    .optional(),
  changeManagement: z
    .strictObject({
      enabled: z.boolean().optional(),
      requireTicket: z.boolean().optional(),
      changeWindow: name.optional(),
      emergencyOverride: RouteSchema.optional(),
    })
    .optional(),
  rollbackPolicy: z
    .strictObject({
      autoRollback: z.boolean().optional(),
      healthCheckInterval: durationField,
      healthCheckThreshold: z.number().int().min(1).optional(),
      rollbackWindow: durationField,
    })
    .optional(),
});

export const PolicySchema = z.strictObject({
  blueprint: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a lowercase name such as infra-management'),
  description: z.string().optional(),
  security: SecuritySchema,
});

export type PolicyDocument = z.infer<typeof PolicySchema>;
export type RouteFields = z.infer<typeof RouteSchema>;
export type ExecuteEntry = z.infer<typeof ExecuteSchema>;
export type PermissionSystem = z.infer<typeof PermissionSystemSchema>;
