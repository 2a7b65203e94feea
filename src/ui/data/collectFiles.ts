export interface NamedBlob {
  name: string;
  blob: Blob;
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
