/** `countersign api`: see `countersign api --help` and server/index.ts. */
import type { Command } from '../io.js';
import { runServiceCommand } from '../../server/index.js';

export const api: Command = (args, io) => runServiceCommand('api', args, io);
