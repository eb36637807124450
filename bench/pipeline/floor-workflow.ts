/** The bare-Temporal floor of bench/pipeline: a workflow that returns its input (one workflow task). */
export async function floorWorkflow(input: { id: string }): Promise<{ id: string; status: 'approved' }> {
  return { id: input.id, status: 'approved' };
}
