/**
 * The `countersign` command. `bin/countersign.js` calls `main(process.argv.slice(2))`; tests call it
 * in-process with a capturing {@link CliIO}.
 *
 * Only `policy` is imported eagerly: the service commands load lazily, so a missing or broken one
 * never stops a security lead from linting or testing policies.
 */
import { processIO, type CliIO, type Command } from './io.js';
import { policy } from './commands/policy.js';

export const USAGE = `usage: countersign <command> [options]

commands:
  policy lint <file|dir>...            validate policy files (exit 1 on errors)
  policy explain <file> --action JSON  decide one request and explain why [--at ISO-8601] [--json]
  policy test <file|dir>...            run policy test files (*.test.yaml)
  audit verify ...                     verify the audit log
  start                                run the embedded service (Temporal dev server, worker, API)
  worker                               run a Temporal worker
  api                                  run the HTTP API
  setup pagerduty|zendesk              create the vendor's webhook (idempotent)
  openshell [check]                    review an OpenShell gateway's draft policy chunks
  mcp --server-name N --blueprint B -- CMD  an MCP gateway in front of a stdio MCP server
  freeze|unfreeze agent|blueprint|tenant NAME  the kill switch [--reason R] [--deny-pending]; freezes lists
  keys new                             a new key and its SHA-256 for countersign.yaml

Run 'countersign <command> --help' for a command's options.`;

/** Lazily loaded commands: specifier and export name. The specifier is a variable so a missing file is a runtime, not compile-time, error. */
const LAZY: Record<string, { readonly module: string; readonly name: string }> = {
  audit: { module: './commands/audit.js', name: 'audit' }, // `audit verify …`: audit checks its subcommand
  start: { module: './commands/start.js', name: 'start' },
  worker: { module: './commands/worker.js', name: 'worker' },
  api: { module: './commands/api.js', name: 'api' },
  setup: { module: './commands/setup.js', name: 'setup' }, // `setup pagerduty|zendesk`
  openshell: { module: './commands/openshell.js', name: 'openshell' },
  mcp: { module: './commands/mcp.js', name: 'mcp' },
  freeze: { module: './commands/freeze.js', name: 'freeze' },
  keys: { module: './commands/keys.js', name: 'keys' },
  unfreeze: { module: './commands/freeze.js', name: 'unfreeze' },
  freezes: { module: './commands/freeze.js', name: 'freezes' },
};

async function loadCommand(spec: { module: string; name: string }): Promise<Command | Error> {
  try {
    const mod = (await import(spec.module)) as Record<string, unknown>;
    const fn = mod[spec.name];
    return typeof fn === 'function' ? (fn as Command) : new Error(`${spec.module} does not export ${spec.name}`);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** Runs the command line `argv` (without `node` and the script) and returns the exit code. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (command === 'policy') return policy(rest, io);
  const lazy = Object.hasOwn(LAZY, command) ? LAZY[command] : undefined;
  if (!lazy) {
    io.stderr(`unknown command: ${command}\n${USAGE}`);
    return 2;
  }
  const loaded = await loadCommand(lazy);
  if (loaded instanceof Error) {
    io.stderr(`countersign ${command} is not available in this build: ${loaded.message}`);
    return 1;
  }
  // Commands receive everything after their own name, e.g. `audit` gets ['verify', ...].
  return loaded(rest, io);
}
