export { buildApp, BODY_LIMIT, type App, type AppDeps } from './app.js';
export { ActionsService, toSubmitResponse, type ActionsDeps, type ApprovalSummary } from './actions.js';
export { Authenticator, type Principal } from './auth.js';
export { ApiError, ErrorCode, type Issue } from './errors.js';
export { createDecider } from './decider.js';
