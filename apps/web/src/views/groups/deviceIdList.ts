/**
 * The device ids in `text`, as an operator types or pastes them: separated
 * by spaces, commas or new lines, each id once, in the order first given.
 */
export function parseDeviceIds(text: string): string[] {
  const ids = text.split(/[\s,]+/).filter((id) => id !== '');
  return [...new Set(ids)];
}
