/**
 * api: the HTTP API and the service behind it. http/ maps requests to service calls (routes,
 * validation, error bodies); actions/ is the service (submit, read, decide, list, the Decider
 * integrations get); limits/ takes rate-limit permits from the limiter workflow. Business rules
 * live in triggers/ (decide, submission); the wire contract in core/.
 */
export { buildApp, BODY_LIMIT, type App, type AppDeps } from './http/app.js';
export { ActionsService, toSubmitResponse, type ActionsDeps, type ApprovalSummary } from './actions/service.js';
export { createDecider } from './actions/decider.js';
export { createGate, DEFAULT_TEMPORAL_DEADLINE_MS, type Reachability, type TemporalGate } from './actions/gate.js';
export { Authenticator, type Principal } from './auth.js';
export { ApiError, ErrorCode, type Issue } from './errors.js';
export { RateLimiter, type RateLimiterOptions } from './limits/rate-limiter.js';
export { isRetryableLimiterError, LimiterClient, LimiterUnavailableError, type LimiterClientOptions } from './limits/limiter-client.js';
