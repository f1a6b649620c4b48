/** A share as a whole percentage, e.g. 0.834 → "83%". */
export const percent = (share: number) => `${Math.round(share * 100)}%`;

/** A metric in [0, 1] with two decimals, as the Library's tables show them. */
export const metric = (value: number) => value.toFixed(2);

/** A version as people name it: its model and number, e.g. "cdc v3". */
export const versionName = (version: { model: string; version: number }) => `${version.model} v${version.version}`;
