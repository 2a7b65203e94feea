import { unzipSync } from 'fflate';
import { errorMessage } from '../../shared/errorMessage';

export interface ArchiveLimits {
  /** Largest single entry, uncompressed. */
  maxEntryBytes: number;
  /** Everything taken from one archive, uncompressed: a zip bomb stops here. */
  maxTotalBytes: number;
}

export const ZIP_LIMITS: ArchiveLimits = { maxEntryBytes: 100 * 2 ** 20, maxTotalBytes: 1024 * 2 ** 20 };

export const IMAGE_NAME = /\.(jpe?g|png|webp|gif|avif|bmp)$/i;

export interface Expanded {
  files: { name: string; bytes: Uint8Array }[];
  problems: { name: string; reason: string }[];
}

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

/** A path that would point outside the archive's folder if it were ever written out. */
function unsafePath(path: string): boolean {
  return path.startsWith('/') || path.includes('\\') || /^[a-z]:/i.test(path) || path.split('/').includes('..');
}

/**
 * The image entries of a .zip, checked before anything is inflated: paths that escape the
 * archive, archives inside archives, non-image entries and entries over the size limits are
 * skipped with a reason, and expansion stops once the declared sizes pass the total limit.
 */
export function expandZip(bytes: Uint8Array, archiveName: string, limits: ArchiveLimits = ZIP_LIMITS): Expanded {
  const out: Expanded = { files: [], problems: [] };
  let total = 0;
  let stopped = false;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (entry) => {
        const name = `${archiveName}/${entry.name}`;
        if (entry.name.endsWith('/')) return false;
        const problem = (reason: string) => {
          out.problems.push({ name, reason });
          return false;
        };
        if (stopped) return false;
        if (unsafePath(entry.name)) return problem('has a path that points outside the archive (skipped)');
        if (/\.zip$/i.test(entry.name)) return problem('is an archive inside the archive (not opened)');
        if (!IMAGE_NAME.test(entry.name)) return problem('is not an image file (skipped inside the archive)');
        if (entry.originalSize > limits.maxEntryBytes) return problem(`would unpack to ${mb(entry.originalSize)}, above the ${mb(limits.maxEntryBytes)} limit per file (skipped)`);
        if (total + entry.originalSize > limits.maxTotalBytes) {
          stopped = true;
          return problem(`would take the archive past ${mb(limits.maxTotalBytes)} unpacked: stopped here, the rest is skipped (is it a zip bomb?)`);
        }
        total += entry.originalSize;
        return true;
      },
    });
  } catch (error) {
    out.problems.push({ name: archiveName, reason: `is not a readable zip archive (${errorMessage(error)})` });
    return out;
  }
  for (const [path, data] of Object.entries(entries)) out.files.push({ name: `${archiveName}/${path}`, bytes: data });
  return out;
}
