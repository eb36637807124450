/** The worker's workflowsPath: every workflow type this service runs. */
export { approvalWorkflow } from './approval/workflow.js';
export { limiterWorkflow } from './limiter/workflow.js';
export { auditTrailWorkflow } from './audit-trail/workflow.js';
export { freezesWorkflow } from './freezes/workflow.js';
