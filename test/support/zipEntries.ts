// Test helper: reads a zip file (a .vsix) with yauzl: every file entry's size and first bytes, and
// the whole contents of the entries asked for. Enough to check what a package holds and what its
// native binaries are without unpacking it.
import * as yauzl from 'yauzl';

export interface ZipEntry {
  /** Uncompressed size in bytes. */
  size: number;
  /** The first `headBytes` bytes (all of them for a smaller file). */
  head: Buffer;
  /** The whole contents, for the entries `whole` selected. */
  contents?: Buffer;
}

/** Every file entry of the zip at `path`, by name; `whole(name)` picks the entries read entirely. */
export function readZipEntries(path: string, headBytes: number, whole: (name: string) => boolean): Promise<Map<string, ZipEntry>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true }, (openError, zip) => {
      if (openError || !zip) return reject(openError ?? new Error(`cannot open ${path}`));
      const entries = new Map<string, ZipEntry>();
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        const all = whole(entry.fileName);
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error(`cannot read ${entry.fileName} in ${path}`));
          const chunks: Buffer[] = [];
          let read = 0;
          let done = false;
          const finish = () => {
            if (done) return;
            done = true;
            const bytes = Buffer.concat(chunks);
            entries.set(entry.fileName, { size: entry.uncompressedSize, head: bytes.subarray(0, headBytes), contents: all ? bytes : undefined });
            zip.readEntry();
          };
          stream.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            read += chunk.length;
            // Enough of a large entry for its header: stop inflating it.
            if (!all && read >= headBytes) {
              stream.destroy();
              finish();
            }
          });
          stream.on('end', finish);
          stream.on('error', (e) => (done ? undefined : reject(e)));
        });
      });
      zip.readEntry();
    });
  });
}
