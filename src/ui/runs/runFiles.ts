import { unzip, zip, type Unzipped } from 'fflate';
import { fromLayersModelFiles, type LayersModelArtifacts } from '../../core/persist/layersModelFiles';
import { packRun, RunFileError, type SavedRun } from '../../core/persist/runArchive';
import { unpackRun } from '../../core/persist/unpackRun';
import { errorMessage } from '../../shared/errorMessage';

// fflate's asynchronous zip and unzip run in their own workers, so big runs never freeze the page.
const zipAsync = (files: Record<string, Uint8Array>) =>
  new Promise<Uint8Array>((resolve, reject) => zip(files, { level: 1 }, (error, data) => (error ? reject(error) : resolve(data))));
const unzipAsync = (bytes: Uint8Array) => new Promise<Unzipped>((resolve, reject) => unzip(bytes, (error, data) => (error ? reject(error) : resolve(data))));

/** A generator's folder (see generatorBundle) as one .zip. */
export function zipFiles(files: Record<string, Uint8Array>): Promise<Uint8Array> {
  return zipAsync(files);
}

export function zipRun(run: SavedRun): Promise<Uint8Array> {
  return zipAsync(packRun(run));
}

/** Reads and checks a run .zip; any problem is a RunFileError naming the file. */
export async function readRunZip(file: File): Promise<SavedRun> {
  let files: Unzipped;
  try {
    files = await unzipAsync(new Uint8Array(await file.arrayBuffer()));
  } catch (error) {
    throw new RunFileError(`${file.name} is not a readable .zip file (${errorMessage(error)})`, { cause: error });
  }
  try {
    return unpackRun(files);
  } catch (error) {
    throw new RunFileError(`${file.name}: ${errorMessage(error)}`, { cause: error });
  }
}

/** A generator from its model .json and weight files, chosen together or inside a .zip. */
export async function readModelFiles(chosen: File[]): Promise<LayersModelArtifacts> {
  const files: Record<string, Uint8Array> = {};
  for (const file of chosen) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (/\.zip$/i.test(file.name)) {
      try {
        Object.assign(files, await unzipAsync(bytes));
      } catch (error) {
        throw new Error(`${file.name} is not a readable .zip file (${errorMessage(error)})`, { cause: error });
      }
    } else files[file.name] = bytes;
  }
  return fromLayersModelFiles(files);
}
