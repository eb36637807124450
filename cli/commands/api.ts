/** `countersign api`: see `countersign api --help` and server/service.ts. */
import type { Command } from '../io.js';
import { runServiceCommand } from '../../server/service.js';

export const api: Command = (args, io) => runServiceCommand('api', args, io);
