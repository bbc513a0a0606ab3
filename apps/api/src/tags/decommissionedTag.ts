/**
 * The value of the `decommissioned` tag (DECOMMISSIONED_TAG, in
 * @rollcall/fleet) for a decommissioning at `at`: ISO 8601 basic format in
 * UTC to the second, `20261204t170905z`. The extended format's `:` is not
 * in the tag charset, and normalisation lowercases ASCII letters, so the
 * designators are stored lower case (RFC 3339 allows either case); only a
 * normalised value can be exported, imported and queried as
 * `tag:decommissioned=20261204t170905z`. The exact time stays in
 * `decommissioned_at`.
 */
export function decommissionedTagValue(at: Date): string {
  return at
    .toISOString()
    .replace(/\.\d+Z$/, 'z')
    .replace(/[-:]/g, '')
    .replace('T', 't');
}
