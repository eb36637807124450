/** `countersign worker`: see `countersign worker --help` and server/service.ts. */
import type { Command } from '../io.js';
import { runServiceCommand } from '../../server/service.js';

export const worker: Command = (args, io) => runServiceCommand('worker', args, io);
