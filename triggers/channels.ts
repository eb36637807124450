/** The channel names policies may name. */
export const Channel = {
  Slack: 'slack',
  Teams: 'teams',
  PagerDuty: 'pagerduty',
  Zendesk: 'zendesk',
  Web: 'web',
} as const;
export type Channel = (typeof Channel)[keyof typeof Channel];
export const CHANNELS: readonly Channel[] = Object.values(Channel);
