/** `countersign worker`: see `countersign worker --help` and server/index.ts. */
import type { Command } from '../io.js';
import { runServiceCommand } from '../../server/index.js';

export const worker: Command = (args, io) => runServiceCommand('worker', args, io);
