import type { CompiledPolicy } from '../policy/compiled.js';
import type { ActionRequest, Decision } from '../../core/index.js';
import { toDecision, type Outcome } from './outcome.js';

/**
 * The explanation says, in order, why each step before the deciding one did not decide. Its lines
 * depend only on a few facts about the request, packed into `variant` bits, so a shared outcome's
 * decision is built once per variant and reused.
 */
const STEP1 = '1. request: well-formed';
const STEP2 = ['2. requirements: none apply', '2. requirements: the change references a ticket'] as const;
const STEP3 = ['3. restricted: no resource named', '3. restricted: the resource is not restricted'] as const;
const STEP4_NONE = '4. approval workflows: none defined';
const STEP4_NO_MATCH = '4. approval workflows: no trigger matched';
const STEP5 = '5. execute: no entry names this action';
const STEP6 = ['6. read/write: the action is not a read or write', '6. read/write: read of this resource is not granted', '6. read/write: write of this resource is not granted'] as const;
const STEP7 = '7. least privilege: nothing grants this action';

export const INSIDE_WINDOW = 16;

/** Bits 0–3 from the request; bit 4 ({@link INSIDE_WINDOW}) is added by the change-window overlay. */
export function variantOf(p: CompiledPolicy, r: ActionRequest, isRead: boolean): number {
  const ticket = p.changeManagement !== null && p.changeManagement.requireTicket && !isRead ? 1 : 0;
  const resource = r.resource === undefined ? 0 : 2;
  const verb = isRead ? 4 : r.action === 'write' ? 8 : 0;
  return ticket | resource | verb;
}

/** The decision for `outcome`, from its cache when it has one. */
export function decisionFor(p: CompiledPolicy, outcome: Outcome, variant: number, lines?: string[]): Decision {
  const cached = outcome.cache?.[variant];
  if (cached !== undefined) return cached;
  lines ??= linesBefore(p, outcome.step, variant);
  if (variant & INSIDE_WINDOW) lines.push(`change window: inside ${p.changeManagement?.window?.source ?? ''}`);
  lines.push(outcome.decided);
  const decision = toDecision(outcome, Object.freeze(lines));
  if (outcome.cache !== null) outcome.cache[variant] = Object.freeze(decision);
  return decision;
}

/** Lines for steps 1 … step-1. */
export function linesBefore(p: CompiledPolicy, step: number, variant: number): string[] {
  const all: string[] = [
    STEP1,
    STEP2[variant & 1]!,
    STEP3[(variant >> 1) & 1]!,
    p.triggers.length === 0 ? STEP4_NONE : STEP4_NO_MATCH,
    STEP5,
    STEP6[(variant >> 2) & 3] ?? STEP6[0],
    STEP7,
  ];
  return all.slice(0, Math.max(0, step - 1));
}
