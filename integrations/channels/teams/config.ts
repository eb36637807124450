/**
 * Teams settings from the environment. Nothing set → Teams is off.
 *
 * | variable | meaning |
 * |---|---|
 * | `MICROSOFT_APP_ID` | the bot's Entra app id; required (JWT validation of every inbound activity) |
 * | `MICROSOFT_APP_PASSWORD` | client secret (MultiTenant / SingleTenant) |
 * | `MICROSOFT_APP_TENANT_ID` | tenant id (SingleTenant, UserAssignedMSI) |
 * | `MICROSOFT_APP_TYPE` | `MultiTenant` (default), `SingleTenant` or `UserAssignedMSI` |
 * | `TEAMS_ALLOWED_TENANTS` | comma-separated Entra tenant ids whose activities are accepted (with `MICROSOFT_APP_TENANT_ID`); one of the two is required outside test mode |
 * | `TEAMS_DEFAULT_GROUP` | group whose linked conversation serves groups with no link of their own |
 * | `TEAMS_OPENID_METADATA_URL`, `TEAMS_TOKEN_ISSUER`, `TEAMS_LOGIN_URL`, `TEAMS_OAUTH_SCOPE` | all four or none: the Bot Framework endpoints of another cloud (sovereign clouds, a test identity provider); none = the public cloud |
 * | `TEAMS_INSECURE_TEST_MODE` | `1`: allow an empty app id, which turns off inbound authentication. Tests only. |
 */
import { z } from 'zod';
import { areSet, describeProblems, readEnv, requireSet } from '../../kit/index.js';
import { TeamsErrorCode, TeamsIntegrationError } from './errors.js';

export const TEAMS_APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;
export type TeamsAppType = (typeof TEAMS_APP_TYPES)[number];

export interface TeamsConfig {
  appId: string;
  appPassword: string;
  tenantId: string;
  appType: TeamsAppType;
  defaultGroup: string | null;
  /** Tenants whose activities count (`conversation.tenantId`); empty only in test mode, where any tenant does. */
  allowedTenants: readonly string[];
  /** True only with TEAMS_INSECURE_TEST_MODE=1 and an empty app id. */
  insecure: boolean;
  /** Another cloud's Bot Framework endpoints; null = the public cloud. */
  endpoints: { openIdMetadataUrl: string; tokenIssuer: string; loginUrl: string; oauthScope: string } | null;
}

const ENDPOINTS = ['TEAMS_OPENID_METADATA_URL', 'TEAMS_TOKEN_ISSUER', 'TEAMS_LOGIN_URL', 'TEAMS_OAUTH_SCOPE'] as const;

const VARIABLES = ['MICROSOFT_APP_ID', 'MICROSOFT_APP_PASSWORD', 'MICROSOFT_APP_TENANT_ID', 'MICROSOFT_APP_TYPE', 'TEAMS_ALLOWED_TENANTS', 'TEAMS_DEFAULT_GROUP', 'TEAMS_INSECURE_TEST_MODE', ...ENDPOINTS];

const tenantsOf = (v: { MICROSOFT_APP_TENANT_ID: string; TEAMS_ALLOWED_TENANTS?: string | undefined }): string[] => [
  ...new Set([v.MICROSOFT_APP_TENANT_ID, ...(v.TEAMS_ALLOWED_TENANTS ?? '').split(',')].map((t) => t.trim().toLowerCase()).filter(Boolean)),
];

const appType = z
  .string()
  .transform((raw, ctx) => {
    const type = TEAMS_APP_TYPES.find((t) => t.toLowerCase() === raw.toLowerCase());
    if (!type) ctx.addIssue({ code: 'custom', message: `must be one of ${TEAMS_APP_TYPES.join(', ')}` });
    return type ?? z.NEVER;
  })
  .default('MultiTenant');

const schema = (present: readonly string[]) =>
  z
    .object({
      MICROSOFT_APP_ID: z.string().optional(),
      MICROSOFT_APP_PASSWORD: z.string().default(''),
      MICROSOFT_APP_TENANT_ID: z.string().default(''),
      MICROSOFT_APP_TYPE: appType,
      TEAMS_ALLOWED_TENANTS: z.string().optional(),
      TEAMS_DEFAULT_GROUP: z.string().optional(),
      TEAMS_INSECURE_TEST_MODE: z.enum(['0', '1'], { error: 'must be 1 or 0' }).optional(),
      TEAMS_OPENID_METADATA_URL: z.string().url('must be a URL').optional(),
      TEAMS_TOKEN_ISSUER: z.string().optional(),
      TEAMS_LOGIN_URL: z.string().url('must be a URL').optional(),
      TEAMS_OAUTH_SCOPE: z.string().optional(),
    })
    .superRefine((v, ctx) => {
      // botbuilder takes any one of these as "all are given" and defaults none of the others.
      const endpoints = ENDPOINTS.filter((name) => v[name]);
      if (endpoints.length > 0) for (const name of ENDPOINTS) if (!v[name]) requireSet(ctx, name, `${endpoints.join(', ')} ${endpoints.length === 1 ? 'is' : 'are'} set, and the four go together`);
      if (!v.MICROSOFT_APP_ID) {
        if (v.TEAMS_INSECURE_TEST_MODE !== '1') {
          requireSet(ctx, 'MICROSOFT_APP_ID', `${areSet(present)}; without it inbound activities cannot be authenticated (TEAMS_INSECURE_TEST_MODE=1 allows it in tests only)`);
        }
        return;
      }
      if (v.MICROSOFT_APP_TYPE !== 'UserAssignedMSI' && !v.MICROSOFT_APP_PASSWORD) requireSet(ctx, 'MICROSOFT_APP_PASSWORD', `MICROSOFT_APP_ID is set (${v.MICROSOFT_APP_TYPE})`);
      if (v.MICROSOFT_APP_TYPE !== 'MultiTenant' && !v.MICROSOFT_APP_TENANT_ID) requireSet(ctx, 'MICROSOFT_APP_TENANT_ID', `MICROSOFT_APP_TYPE is ${v.MICROSOFT_APP_TYPE}`);
      else if (tenantsOf(v).length === 0) {
        requireSet(ctx, 'TEAMS_ALLOWED_TENANTS', 'a MultiTenant bot accepts activities from any Entra tenant: name the tenant ids whose people may decide (comma-separated), or set MICROSOFT_APP_TENANT_ID');
      }
    })
    .transform(
      (v): TeamsConfig => ({
        appId: v.MICROSOFT_APP_ID ?? '',
        appPassword: v.MICROSOFT_APP_PASSWORD,
        tenantId: v.MICROSOFT_APP_TENANT_ID,
        appType: v.MICROSOFT_APP_TYPE,
        defaultGroup: v.TEAMS_DEFAULT_GROUP ?? null,
        allowedTenants: tenantsOf(v),
        insecure: !v.MICROSOFT_APP_ID,
        endpoints: v.TEAMS_OPENID_METADATA_URL
          ? { openIdMetadataUrl: v.TEAMS_OPENID_METADATA_URL, tokenIssuer: v.TEAMS_TOKEN_ISSUER!, loginUrl: v.TEAMS_LOGIN_URL!, oauthScope: v.TEAMS_OAUTH_SCOPE! }
          : null,
      }),
    );

/** The Teams settings, or null when no Teams variable is set. @throws {TeamsIntegrationError} */
export function readTeamsConfig(env: Readonly<Record<string, string | undefined>>): TeamsConfig | null {
  return readEnv(env, {
    variables: VARIABLES,
    schema,
    fail: (problems) =>
      new TeamsIntegrationError(problems.some((p) => p.kind === 'missing') ? TeamsErrorCode.ConfigMissing : TeamsErrorCode.ConfigInvalid, describeProblems(problems)),
  });
}
