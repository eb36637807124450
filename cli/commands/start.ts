/** `countersign start`: see `countersign start --help` and server/index.ts. */
import type { Command } from '../io.js';
import { runServiceCommand } from '../../server/index.js';

export const start: Command = (args, io) => runServiceCommand('start', args, io);
