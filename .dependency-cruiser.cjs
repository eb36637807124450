/**
 * The import boundaries CI holds (`npm run boundaries`). Data flows one way:
 *
 *   api → triggers → workflows → activities → integrations, with core/ (the contract) at the bottom
 *
 * plus infra/ (config, logging, metrics, Temporal plumbing, the policy store) beside them, and
 * server/ and cli/ (the wiring and the command) on top, which may import anything. Every rule
 * below forbids one import against that flow; a violation names the importing file and the import.
 *
 * Type-only imports count too: the swc parser (TypeScript 7 has no compiler API for this tool)
 * does not tell them apart, and a layer should not know another layer's types either.
 */
const FOLDERS = ['core', 'triggers', 'workflows', 'activities', 'integrations', 'api', 'infra', 'server', 'cli', 'client', 'console'];
/** A path pattern of every project folder but `allowed`. */
const others = (...allowed) => `^(${FOLDERS.filter((f) => !allowed.includes(f)).join('|')})/`;

module.exports = {
  forbidden: [
    {
      name: 'core-is-the-bottom',
      comment: 'core/ is the contract every layer shares: it imports no other project folder.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: others('core') },
    },
    {
      name: 'core-packages',
      comment: "core/ uses no package but Temporal's definition helpers (plain values, safe in workflow code).",
      severity: 'error',
      from: { path: '^core/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: '^node_modules/@temporalio/(common|workflow)/' },
    },
    {
      name: 'core-workflow-safe',
      comment: 'Workflow code imports core/: only core/crypto may use a Node built-in (node:crypto).',
      severity: 'error',
      from: { path: '^core/', pathNot: '^core/crypto/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'triggers-pure',
      comment: 'triggers/ (the policy engine and the submission step) is pure: core/, yaml, zod and node:crypto, nothing with I/O.',
      severity: 'error',
      from: { path: '^triggers/' },
      to: { pathNot: ['^(core|triggers)/', '^node_modules/(yaml|zod)/', '^crypto$'] },
    },
    {
      name: 'workflows-deterministic',
      comment: 'workflows/ holds workflow code only: core/ (not core/crypto), the activities it proxies, and the Temporal workflow SDK.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { pathNot: ['^(core|workflows)/', '^activities/types\\.ts$', '^node_modules/@temporalio/(workflow|common)/'] },
    },
    {
      name: 'workflows-no-crypto',
      comment: 'Workflow code must not reach node:crypto (the bundle would not build).',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^core/crypto/' },
    },
    {
      name: 'activities-downstream',
      comment: 'activities/ (every side effect) may use core/ and integrations/, never the API, a workflow, triggers/ or the wiring.',
      severity: 'error',
      from: { path: '^activities/' },
      to: { path: others('core', 'activities', 'integrations') },
    },
    {
      name: 'integrations-at-the-end',
      comment: 'An integration never imports a workflow, an activity, the API, triggers/, infra/ or the wiring: it gets Ports from the wiring.',
      severity: 'error',
      from: { path: '^integrations/' },
      to: { path: others('core', 'integrations') },
    },
    {
      name: 'channels-apart',
      comment: 'A channel is its own folder: it uses the kit and core/, never another channel or a front door.',
      severity: 'error',
      from: { path: '^integrations/channels/([^/]+)/' },
      to: { path: '^integrations/(channels|front-doors)/', pathNot: ['^integrations/channels/$1/', '^integrations/channels/index\\.ts$'] },
    },
    {
      name: 'front-doors-apart',
      comment: 'A front door is its own folder: it uses the kit and core/, never a channel or another front door.',
      severity: 'error',
      from: { path: '^integrations/front-doors/([^/]+)/' },
      to: { path: '^integrations/(channels|front-doors)/', pathNot: '^integrations/front-doors/$1/' },
    },
    {
      name: 'kit-is-shared',
      comment: 'The kit is what channels are built from: it knows none of them.',
      severity: 'error',
      from: { path: '^integrations/kit/' },
      to: { path: '^integrations/(channels|front-doors)/' },
    },
    {
      name: 'api-upstream',
      comment: 'api/ maps HTTP to the service: core/, triggers/ and infra/; never an integration, a workflow, an activity or the wiring.',
      severity: 'error',
      from: { path: '^api/' },
      to: { path: others('core', 'triggers', 'api', 'infra') },
    },
    {
      name: 'infra-is-shared',
      comment: 'infra/ is used by every layer, so it uses none of them: core/ and triggers/ only.',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: others('core', 'triggers', 'infra') },
    },
    {
      name: 'client-stands-alone',
      comment: 'The TypeScript client ships on its own (fetch only): it may use the error base and nothing else of the project.',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: `${others('client')}|^node_modules/`, pathNot: '^core/errors\\.ts$' },
    },
    {
      name: 'console-browser-only',
      comment: 'console/web runs in the browser: it imports nothing of the server, and no package (the pages and the script are the whole front end).',
      severity: 'error',
      from: { path: '^console/' },
      to: { path: `${others('console')}|^node_modules/` },
    },
    {
      name: 'fakes-from-the-docs',
      comment: 'A fake must be able to be wrong on its own: it imports no production signer, parser or .proto.',
      severity: 'warn',
      from: { path: '^test/fakes/' },
      to: { path: '^(core|triggers|workflows|activities|integrations|api)/' },
    },
  ],
  options: {
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
