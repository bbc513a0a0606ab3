import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  catchUpKey,
  isOpenEntry,
  type CatchUpDocument,
} from './catchUpDocument.ts';
import { fillCatchUpEntry } from './fillProgress.ts';
import type { FromFile } from './readRegistryDirectory.ts';
import { RegistryFileError } from './registryFileError.ts';

/** Every stored catch-up entry, history included, and each one's id. */
export interface StoredCatchUp {
  /** In the file's order (`compareCatchUp`). */
  entries: CatchUpDocument[];
  ids: Map<CatchUpDocument, string>;
}

/** One entry an import writes: the stored entry's id, or a new one. */
export interface CatchUpWrite {
  document: CatchUpDocument;
  previous: CatchUpDocument | undefined;
  id: string;
}

/** What an import does with the queue file. */
export interface ClassifiedCatchUp {
  summary: { created: number; updated: number; unchanged: number };
  writes: CatchUpWrite[];
  /** Set when the file would leave two open entries of one key. */
  failure: RegistryFileError | null;
}

/** Stored entries of one key in the order they stand for it: open first. */
function byStanding(a: CatchUpDocument, b: CatchUpDocument): number {
  return (
    Number(isOpenEntry(b)) - Number(isOpenEntry(a)) ||
    (b.queued_at ?? '').localeCompare(a.queued_at ?? '')
  );
}

/**
 * Pairs each file entry with the stored entry it stands for, per device
 * and deployment: first the one queued at the same time (an entry keeps
 * its queued_at for life); then, for an open file entry, the stored open
 * one (there is at most one); then, for an entry without queued_at, the
 * one its key stands for (open, else latest queued), as before history
 * was exported. Any other entry is new.
 */
function pairWithStored(
  entries: CatchUpDocument[],
  stored: StoredCatchUp,
): Map<CatchUpDocument, CatchUpDocument> {
  const storedByKey = new Map<string, CatchUpDocument[]>();
  for (const entry of stored.entries) {
    const list = storedByKey.get(catchUpKey(entry)) ?? [];
    list.push(entry);
    storedByKey.set(catchUpKey(entry), list);
  }
  for (const list of storedByKey.values()) list.sort(byStanding);

  const paired = new Map<CatchUpDocument, CatchUpDocument>();
  const claimed = new Set<CatchUpDocument>();
  const claim = (
    entry: CatchUpDocument,
    accepts: (candidate: CatchUpDocument) => boolean,
  ) => {
    if (paired.has(entry)) return;
    const candidates = storedByKey.get(catchUpKey(entry)) ?? [];
    const match = candidates.find((c) => !claimed.has(c) && accepts(c));
    if (!match) return;

    paired.set(entry, match);
    claimed.add(match);
  };
  for (const entry of entries) {
    claim(
      entry,
      (c) => entry.queued_at !== null && c.queued_at === entry.queued_at,
    );
  }
  for (const entry of entries) {
    if (isOpenEntry(entry)) claim(entry, isOpenEntry);
  }
  for (const entry of entries) {
    if (entry.queued_at === null) claim(entry, () => true);
  }
  return paired;
}

/**
 * Compares the queue file's entries with the stored ones (`pairWithStored`)
 * and fills each as `fillCatchUpEntry` does. Refuses (`failure`) a file
 * whose new open entry would sit beside a stored open entry of the same
 * device and deployment that stays open (its stored progress is newer
 * than the file's close of it): the database holds one open entry per
 * key.
 */
export function classifyCatchUp(
  file: FromFile<CatchUpDocument[]> | null,
  stored: StoredCatchUp,
  now: string,
): ClassifiedCatchUp {
  const entries = file?.value ?? [];
  const fill = fillCatchUpEntry(now);
  const paired = pairWithStored(entries, stored);
  const summary = { created: 0, updated: 0, unchanged: 0 };
  const writes: CatchUpWrite[] = [];
  const stillOpen = new Set<string>();
  const filled = entries.map((entry) => {
    const previous = paired.get(entry);
    const document = fill(entry, previous);
    if (previous && isOpenEntry(document)) stillOpen.add(catchUpKey(entry));
    return { entry, previous, document };
  });

  for (const [index, { entry, previous, document }] of filled.entries()) {
    if (
      !previous &&
      isOpenEntry(document) &&
      stillOpen.has(catchUpKey(entry))
    ) {
      const failure = new RegistryFileError(
        file!.file,
        `catch_up_queue[${index}]`,
        `device "${entry.device_id}" keeps a newer open entry for deployment "${entry.deployment_id}"; a device has one open entry per deployment`,
      );
      return { summary, writes: [], failure };
    }
    if (!previous) summary.created += 1;
    else if (isDeepStrictEqual(document, previous)) {
      summary.unchanged += 1;
      continue;
    } else summary.updated += 1;
    const id = previous ? stored.ids.get(previous)! : randomUUID();
    writes.push({ document, previous, id });
  }
  return { summary, writes, failure: null };
}
