/** What `countersign setup pagerduty` needs, without the channel and webhook modules. */
export { PagerDutyClient } from './client.js';
export { readPagerDutyAdminConfig } from './config.js';
export { setupPagerDuty } from './setup.js';
