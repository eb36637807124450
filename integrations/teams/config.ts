/**
 * Teams settings from the environment. Nothing set → Teams is off.
 *
 * | variable | meaning |
 * |---|---|
 * | `MICROSOFT_APP_ID` | the bot's Entra app id; required (JWT validation of every inbound activity) |
 * | `MICROSOFT_APP_PASSWORD` | client secret (MultiTenant / SingleTenant) |
 * | `MICROSOFT_APP_TENANT_ID` | tenant id (SingleTenant, UserAssignedMSI) |
 * | `MICROSOFT_APP_TYPE` | `MultiTenant` (default), `SingleTenant` or `UserAssignedMSI` |
 * | `TEAMS_DEFAULT_GROUP` | group whose linked conversation serves groups with no link of their own |
 * | `TEAMS_INSECURE_TEST_MODE` | `1`: allow an empty app id, which turns off inbound authentication. Tests only. |
 */
import { TeamsErrorCode, TeamsIntegrationError } from './errors.js';

export type TeamsAppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';

export interface TeamsConfig {
  appId: string;
  appPassword: string;
  tenantId: string;
  appType: TeamsAppType;
  defaultGroup: string | null;
  /** True only with TEAMS_INSECURE_TEST_MODE=1 and an empty app id. */
  insecure: boolean;
}

const VARS = ['MICROSOFT_APP_ID', 'MICROSOFT_APP_PASSWORD', 'MICROSOFT_APP_TENANT_ID', 'MICROSOFT_APP_TYPE', 'TEAMS_DEFAULT_GROUP', 'TEAMS_INSECURE_TEST_MODE'] as const;
const TYPES: readonly TeamsAppType[] = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'];

const missing = (name: string, why: string) => new TeamsIntegrationError(TeamsErrorCode.ConfigMissing, `${name} is not set but ${why}`);

/** The Teams settings, or null when no Teams variable is set. @throws {TeamsIntegrationError} */
export function readTeamsConfig(env: Readonly<Record<string, string | undefined>>): TeamsConfig | null {
  const get = (n: string): string => env[n]?.trim() ?? '';
  const present = VARS.filter((n) => get(n) !== '');
  if (present.length === 0) return null;
  const why = `${present.join(', ')} ${present.length === 1 ? 'is' : 'are'} set`;
  const insecureFlag = get('TEAMS_INSECURE_TEST_MODE');
  if (insecureFlag !== '' && insecureFlag !== '1' && insecureFlag !== '0') {
    throw new TeamsIntegrationError(TeamsErrorCode.ConfigInvalid, 'TEAMS_INSECURE_TEST_MODE: must be 1 or 0');
  }
  const appId = get('MICROSOFT_APP_ID');
  const rawType = get('MICROSOFT_APP_TYPE') || 'MultiTenant';
  const appType = TYPES.find((t) => t.toLowerCase() === rawType.toLowerCase());
  if (!appType) throw new TeamsIntegrationError(TeamsErrorCode.ConfigInvalid, `MICROSOFT_APP_TYPE: must be one of ${TYPES.join(', ')}`);
  const base = { appType, tenantId: get('MICROSOFT_APP_TENANT_ID'), appPassword: get('MICROSOFT_APP_PASSWORD'), defaultGroup: get('TEAMS_DEFAULT_GROUP') || null };
  if (!appId) {
    if (insecureFlag === '1') return { ...base, appId: '', insecure: true };
    throw missing('MICROSOFT_APP_ID', `${why}; without it inbound activities cannot be authenticated (TEAMS_INSECURE_TEST_MODE=1 allows it in tests only)`);
  }
  if (appType !== 'UserAssignedMSI' && !base.appPassword) throw missing('MICROSOFT_APP_PASSWORD', `MICROSOFT_APP_ID is set (${appType})`);
  if (appType !== 'MultiTenant' && !base.tenantId) throw missing('MICROSOFT_APP_TENANT_ID', `MICROSOFT_APP_TYPE is ${appType}`);
  return { ...base, appId, insecure: false };
}
