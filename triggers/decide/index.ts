/** `decide()`: one request under one compiled policy at one time → auto-approve, require approval or deny. */
export { decide } from './decide.js';
