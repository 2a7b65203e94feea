import { unzipSync } from 'fflate';

export interface NamedBlob {
  name: string;
  blob: Blob;
}

export interface Collected {
  files: NamedBlob[];
  /** Entries that were skipped before decoding, each with its reason. */
  problems: { name: string; reason: string }[];
}

const IMAGE_NAME = /\.(jpe?g|png|webp|gif|avif|bmp)$/i;

/** Expands .zip archives (fflate) into their image entries; other files pass through. */
export async function expandArchives(files: readonly File[]): Promise<Collected> {
  const out: Collected = { files: [], problems: [] };
  for (const file of files) {
    if (!/\.zip$/i.test(file.name)) {
      out.files.push({ name: file.webkitRelativePath || file.name, blob: file });
      continue;
    }
    try {
      const entries = unzipSync(new Uint8Array(await file.arrayBuffer()), { filter: (entry) => !entry.name.endsWith('/') });
      for (const [path, bytes] of Object.entries(entries)) {
        const name = `${file.name}/${path}`;
        if (IMAGE_NAME.test(path)) out.files.push({ name, blob: new Blob([bytes as Uint8Array<ArrayBuffer>]) });
        else out.problems.push({ name, reason: 'is not an image file (skipped inside the archive)' });
      }
    } catch (error) {
      out.problems.push({ name: file.name, reason: `is not a readable zip archive (${error instanceof Error ? error.message : String(error)})` });
    }
  }
  return out;
}

/** Every file in a dropped folder, recursively (directory entries of a DataTransfer). */
async function readEntry(entry: FileSystemEntry, path: string, into: File[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    into.push(new File([file], `${path}${file.name}`, { type: file.type }));
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns the listing in chunks; an empty chunk ends it.
  for (;;) {
    const chunk = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (chunk.length === 0) break;
    for (const child of chunk) await readEntry(child, `${path}${entry.name}/`, into);
  }
}

/** Files and folders from a drop or paste; folders are walked recursively. */
export async function filesFromDataTransfer(transfer: DataTransfer): Promise<File[]> {
  const entries = Array.from(transfer.items ?? [])
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.length > 0 && entries.every((e) => e !== null)) {
    const files: File[] = [];
    for (const entry of entries as FileSystemEntry[]) await readEntry(entry, '', files);
    return files;
  }
  return Array.from(transfer.files);
}
