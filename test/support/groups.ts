/**
 * The `groups:` block test configs share: every approver group the four shipped blueprints name,
 * with the test approvers alice, bob, carol and dave as members.
 */
export const BLUEPRINT_GROUPS_YAML = `groups:
  support-leads: [alice, bob]
  account-managers: [bob, carol]
  tier2-support: [carol, dave]
  sales-managers: [alice, carol]
  sales-rep: [dave]
  sales-directors: [alice]
  soc-analyst: [alice, bob, carol]
  soc-lead: [bob]
  security-director: [carol]
  platform-engineer: [alice, dave]
  platform-lead: [bob]
  security-team: [carol, dave]
  vp-engineering: [alice]
`;
