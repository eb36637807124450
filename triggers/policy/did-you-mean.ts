/** "Did you mean …?" hints for policy errors; the implementation is shared (triggers/did-you-mean.ts). */
export { closest, distance } from '../did-you-mean.js';
