/**
 * Workflow bundling shared by the production worker and the tests: the webpack hook that lets the
 * SDK's bundler resolve our ESM `.js` specifiers to `.ts` sources, and a per-process bundle cache.
 */
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type BundleOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

type WebpackConfig = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];

/** Maps an import of `./x.js` to `./x.ts` first, then `./x.js` (NodeNext-style sources). */
export function esmExtensionAliasHook(config: WebpackConfig): WebpackConfig {
  config.resolve = { ...config.resolve, extensionAlias: { ...config.resolve?.extensionAlias, '.js': ['.ts', '.js'] } };
  return config;
}

/** The part of a pino logger {@link bundlerLogger} needs. */
export interface LevelLogger {
  trace(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

type SdkLogger = NonNullable<BundleOptions['logger']>;
type SdkLevel = Parameters<SdkLogger['log']>[0];

/**
 * The SDK bundler's logger on top of ours, so webpack's output follows COUNTERSIGN_LOG_LEVEL instead
 * of going to stdout: the bundler's `info` (the webpack stats dump, "bundle created") becomes debug;
 * warnings and errors (a workflow that does not compile) keep their level.
 */
export function bundlerLogger(logger: LevelLogger): SdkLogger {
  const to: Record<SdkLevel, keyof LevelLogger> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'debug', WARN: 'warn', ERROR: 'error' };
  const log = (level: SdkLevel, message: string, meta?: Parameters<SdkLogger['log']>[2]) => logger[to[level]]({ ...meta }, message);
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}

/** `bundlerOptions` for `Worker.create` when passing `workflowsPath` instead of a bundle. */
export const workflowBundlerOptions = { webpackConfigHook: esmExtensionAliasHook };

const cache = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/**
 * Bundles `workflowsPath` once per process (bundling takes seconds); pass the result to
 * `Worker.create({ workflowBundle })`. A failed bundle is not cached.
 */
export function getWorkflowBundle(workflowsPath: string, logger?: BundleOptions['logger']): Promise<WorkflowBundleWithSourceMap> {
  let bundle = cache.get(workflowsPath);
  if (!bundle) {
    bundle = bundleWorkflowCode({ workflowsPath, webpackConfigHook: esmExtensionAliasHook, ...(logger ? { logger } : {}) });
    bundle.catch(() => cache.delete(workflowsPath));
    cache.set(workflowsPath, bundle);
  }
  return bundle;
}

/**
 * Absolute path of a workflows module given without extension, relative to the project root
 * (default `workflows/index`): `<root>/workflows/index.ts` when running from sources (tsx, vitest),
 * `<root>/dist/workflows/index.js` when running compiled code.
 */
export function resolveWorkflowsPath(modulePath = 'workflows/index'): string {
  const self = fileURLToPath(import.meta.url); // <root>/infra/temporal/bundle.ts or <root>/dist/infra/temporal/bundle.js
  const ext = self.endsWith('.ts') ? '.ts' : '.js';
  return fileURLToPath(new URL(`../../${modulePath}${ext}`, import.meta.url));
}
