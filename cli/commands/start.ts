/** `countersign start`: see `countersign start --help` and server/service.ts. */
import type { Command } from '../io.js';
import { runServiceCommand } from '../../server/service.js';

export const start: Command = (args, io) => runServiceCommand('start', args, io);
