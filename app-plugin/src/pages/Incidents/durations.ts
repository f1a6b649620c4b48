/** A lead time as people say it: "7 h 44 min", "12 min", "40 s"; minutes are rounded down, as a clock reads. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) {
    return '–';
  }
  if (seconds < 60) {
    return `${Math.floor(seconds)} s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/** Hours with one decimal: the "hours a human would have waited". */
export function formatHours(seconds: number): string {
  return `${(seconds / 3600).toFixed(1)} h`;
}
