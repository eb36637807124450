/**
 * The front-door registry: one line per way agents' actions arrive besides the HTTP API. A front
 * door running inside the service submits through the same service function as `POST
 * /v1/actions` (its `Ports.submit`); one running as its own process uses the HTTP API.
 */
import type { IntegrationDefinition } from '../integration.js';

export const FRONT_DOORS: readonly IntegrationDefinition[] = [
  { name: 'openshell', load: async () => (await import('./openshell/index.js')).createOpenShellIntegration },
];
