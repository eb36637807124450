/**
 * The kill switch's durable state: the list of freezes, changed by the `freeze` and `unfreeze`
 * Updates (each answered with the list as it is now) and read by the `freezes` Query. It runs for
 * as long as the deployment does, continuing as new every 200 changes with the list it holds.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { freezesQuery, freezeUpdate, unfreezeUpdate, FREEZE_SCOPES, type Freeze, type FreezesState } from '../../core/index.js';

const CHANGES_PER_RUN = 200;

export async function freezesWorkflow(input: FreezesState = { freezes: [] }): Promise<void> {
  let freezes: Freeze[] = [...(input.freezes ?? [])];
  let changes = 0;
  const valid = (scope: unknown, value: unknown) => {
    if (!FREEZE_SCOPES.includes(scope as Freeze['scope'])) throw new Error(`scope must be one of ${FREEZE_SCOPES.join(', ')}`);
    if (typeof value !== 'string' || value.length === 0 || value.length > 200) throw new Error('value must be a non-empty name');
  };
  setHandler(freezesQuery, () => freezes.map((f) => ({ ...f })));
  setHandler(
    freezeUpdate,
    (f) => {
      changes++;
      // A second freeze of the same thing replaces the first (a new reason, a new admin).
      freezes = [...freezes.filter((x) => !(x.scope === f.scope && x.value === f.value)), { scope: f.scope, value: f.value, reason: String(f.reason).slice(0, 500), by: f.by, at: Date.now() }];
      return freezes.map((x) => ({ ...x }));
    },
    { validator: (f) => valid(f?.scope, f?.value) },
  );
  setHandler(
    unfreezeUpdate,
    (u) => {
      changes++;
      freezes = freezes.filter((x) => !(x.scope === u.scope && x.value === u.value));
      return freezes.map((x) => ({ ...x }));
    },
    { validator: (u) => valid(u?.scope, u?.value) },
  );
  await condition(() => changes >= CHANGES_PER_RUN || workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  await continueAsNew<typeof freezesWorkflow>({ freezes });
}
