// JSON text columns and 0/1 flags, decoded once at the repository's edge: nothing above a repository casts a row.

export function encodeJson(value: unknown): string {
  return JSON.stringify(value);
}

/** The stored JSON as the type the repository wrote into that column. */
export function decodeJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

export function decodeJsonOrNull<T>(text: string | null): T | null {
  return text === null ? null : decodeJson<T>(text);
}

export const flag = (value: number): boolean => value === 1;
export const toFlag = (value: boolean): number => (value ? 1 : 0);
