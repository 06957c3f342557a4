/*
 * The model's intended departures from the base tree: the functions the
 * series changes.  Fidelity reports them as "differs"; everything else must
 * stay token-identical to mainline.  Each entry says why it changes.
 */
export const CHANGED_FUNCTIONS = new Map<string, string>([
]);
