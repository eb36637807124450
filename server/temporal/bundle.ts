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
  const self = fileURLToPath(import.meta.url); // <root>/server/temporal/bundle.ts or <root>/dist/server/temporal/bundle.js
  const ext = self.endsWith('.ts') ? '.ts' : '.js';
  return fileURLToPath(new URL(`../../${modulePath}${ext}`, import.meta.url));
}
