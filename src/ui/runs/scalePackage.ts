import { zipFiles } from './runFiles';

// The Python package that continues a run in PyTorch, as sources: the page hands out exactly the
// version that reads and writes its own run files.
const sources = import.meta.glob('/scale/*.py', { query: '?raw', import: 'default' });

/** scale/ as a .zip: unpack it where run.zip is and run the commands from there. */
export async function scalePackageZip(): Promise<Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const [path, load] of Object.entries(sources)) {
    files[path.replace(/^\//, '')] = new TextEncoder().encode((await load()) as string);
  }
  if (Object.keys(files).length === 0) throw new Error('This build has no scale package');
  return zipFiles(files);
}
