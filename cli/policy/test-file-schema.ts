/** The shape of a policy test file (the format is in test-file.ts) and its known keys per level. */
import { z } from 'zod';
import { Verdict } from '../../core/index.js';
import { channelNames } from '../../integrations/index.js';
import { parseInstant, RequestSchema } from '../../triggers/index.js';

const instant = z.union([z.string(), z.date().transform((d) => d.toISOString())]).superRefine((value, ctx) => {
  const r = parseInstant(value);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message });
});

const ExpectSchema = z
  .strictObject({
    verdict: z.enum([Verdict.AutoApprove, Verdict.RequireApproval, Verdict.Deny]).optional(),
    approvers: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
    channel: z.enum(channelNames() as [string, ...string[]]).optional(),
    quorum: z.number().int().min(0).optional(),
    slaSeconds: z.number().int().min(0).optional(),
    reason: z.string().min(1).optional(),
    rule: z.string().min(1).optional(),
  })
  .refine((e) => Object.values(e).some((v) => v !== undefined), { message: 'expect must name at least one field' });

const CaseSchema = z.strictObject({
  name: z.string().min(1),
  at: instant.optional(),
  request: RequestSchema,
  expect: ExpectSchema,
});

/** A whole test file: the policy it tests, an optional default time, and its cases. */
export const TestFileSchema = z.strictObject({
  policy: z.string().min(1),
  at: instant.optional(),
  tests: z.array(CaseSchema).min(1, 'tests must list at least one case'),
});

/** What a case expects of the decision; at least one field. */
export type Expectation = z.infer<typeof ExpectSchema>;

/** Known keys by schema level (`file`, `case`, `request`, `expect`), for "did you mean" hints. */
export const KNOWN_KEYS: Record<string, readonly string[]> = {
  file: Object.keys(TestFileSchema.shape),
  case: Object.keys(CaseSchema.shape),
  request: Object.keys(RequestSchema.shape),
  expect: ['verdict', 'approvers', 'channel', 'quorum', 'slaSeconds', 'reason', 'rule'],
};
