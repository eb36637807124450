/** Request bodies and query strings of the HTTP API (zod), and parsing with field-level issues. */
import { z } from 'zod';
import { Status } from '../../core/index.js';
import { badRequest, issuePath } from '../errors.js';

const name = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:\-/*]*$/, 'use letters, digits and . _ : - /');

export const SubmitBody = z.strictObject({
  blueprint: z.string().min(1).max(200),
  action: name,
  resource: z.string().min(1).max(500).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  context: z.record(z.string(), z.unknown()).optional(),
  callbackUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .max(2000)
    .optional(),
  idempotencyKey: z.string().min(1).max(200).optional(),
});
export type SubmitBody = z.infer<typeof SubmitBody>;

export const DecisionBody = z
  .strictObject({
    decision: z.enum(['approve', 'deny'], { error: "must be 'approve' or 'deny'" }),
    reason: z.string().trim().min(1).max(2000).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.decision === 'deny' && !body.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a denial needs a reason: say why, the agent and the audit log read it' });
    }
  });
export type DecisionBody = z.infer<typeof DecisionBody>;

export const GetQuery = z.strictObject({
  wait: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be a number of seconds, 0-60')
    .transform(Number)
    .pipe(z.number().min(0).max(60, 'at most 60 seconds: poll again after it returns'))
    .optional(),
});

const statuses = Object.values(Status) as [Status, ...Status[]];
export const ListQuery = z.strictObject({
  status: z.enum(statuses, { error: `must be one of ${statuses.join(', ')}` }).default('pending'),
  group: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'must be a group name')
    .optional(),
  blueprint: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'must be a blueprint name')
    .optional(),
  limit: z
    .string()
    .regex(/^\d+$/, 'must be an integer 1-1000')
    .transform(Number)
    .pipe(z.number().int().min(1).max(1000, 'must be an integer 1-1000'))
    .optional(),
});

const scopes = ['agent', 'blueprint', 'tenant'] as const;
export const FreezeScopeParam = z.enum(scopes, { error: 'must be agent, blueprint or tenant' });
export const FreezeBody = z.strictObject({
  scope: FreezeScopeParam,
  value: z.string().trim().min(1).max(200),
  reason: z.string().trim().min(1, 'say why: the agents, the audit log and the console show it').max(500),
  denyPending: z.boolean().optional(),
});

export const WithdrawBody = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });

/** 256 KiB of YAML: far more than any blueprint, small enough to compile on every keystroke. */
const yamlText = z.string().max(256 * 1024, 'at most 256 KiB of YAML');

export const LintBody = z.strictObject({ yaml: yamlText });

export const ExplainBody = z
  .strictObject({
    blueprint: z.string().min(1).max(200).optional(),
    yaml: yamlText.optional(),
    /** The request as JSON text (errors then carry its line and column) or as an object. */
    request: z.union([z.string().max(64 * 1024), z.record(z.string(), z.unknown())]),
    at: z.string().max(64).optional(),
  })
  .refine((b) => (b.blueprint === undefined) !== (b.yaml === undefined), { message: 'name exactly one of blueprint and yaml', path: ['blueprint'] });

/** `value` parsed with `schema`, or a 400 `invalid-request` listing each field's problem. */
export function parse<T extends z.ZodType>(schema: T, value: unknown, what: 'body' | 'query'): z.infer<T> {
  const result = schema.safeParse(value ?? (what === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: issuePath(i.path),
    message: i.code === 'unrecognized_keys' ? `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}` : i.message,
  }));
  const first = issues[0];
  throw badRequest(`invalid ${what}${first ? `: ${first.path}: ${first.message}` : ''}`, issues);
}
