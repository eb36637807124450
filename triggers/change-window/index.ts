/** Change windows (`tue-thu/09:00-17:00/UTC`): parsed once at load, asked `contains(now)` per decision. */
export { parseChangeWindow, type ChangeWindow } from './window.js';
