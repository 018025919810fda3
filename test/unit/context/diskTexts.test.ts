import * as assert from 'node:assert/strict';
import { DiskTexts, RACY_MS, type FileStamp } from '../../../src/core/context/diskTexts';

const stamp = (size: number, mtimeMs = 1, ctimeMs = 1, ino = 7): FileStamp => ({ size, mtimeMs, ctimeMs, ino });

describe('DiskTexts', () => {
  it('reads a file once while its stamp holds, and again when any part of the stamp changes', () => {
    const texts = new DiskTexts();
    let reads = 0;
    const read = (text: string) => () => {
      reads++;
      return text;
    };
    assert.equal(texts.get('a.ts', stamp(3), read('one')).text, 'one');
    assert.equal(texts.get('a.ts', stamp(3), read('two')).text, 'one');
    assert.equal(reads, 1);
    for (const [i, changed] of [stamp(4), stamp(3, 2), stamp(3, 1, 2), stamp(3, 1, 1, 8)].entries()) {
      const file = `b${i}.ts`;
      texts.get(file, stamp(3), read('old'));
      assert.equal(texts.get(file, changed, read('new')).text, 'new', JSON.stringify(changed));
    }
    assert.equal(reads, 9);
  });

  it('remembers a refusal as a refusal, and splits lines once on LF or CRLF', () => {
    const texts = new DiskTexts();
    let reads = 0;
    const refused = texts.get('secret.ts', stamp(1), () => (reads++, undefined));
    assert.equal(refused.text, undefined);
    assert.equal(refused.lines, undefined);
    assert.equal(texts.get('secret.ts', stamp(1), () => (reads++, 'x')).text, undefined);
    assert.equal(reads, 1);
    const entry = texts.get('b.ts', stamp(9), () => 'a\r\nb\nc\rd');
    assert.deepEqual(entry.lines, ['a', 'b', 'c\rd']);
    assert.equal(entry.lines, entry.lines, 'the same array every time');
  });

  it('forgets a deleted file, and the least recently used files past its budget', () => {
    const texts = new DiskTexts(4 * 100 + 64);
    texts.get('a', stamp(1), () => 'x'.repeat(100));
    texts.delete('a');
    assert.equal(texts.size, 0);
    texts.get('a', stamp(1), () => 'x'.repeat(40));
    texts.get('b', stamp(1), () => 'y'.repeat(40));
    texts.get('a', stamp(1), () => 'unused'); // a is now the most recent
    texts.get('c', stamp(1), () => 'z'.repeat(40));
    assert.equal(texts.size, 2);
    let reread = false;
    texts.get('a', stamp(1), () => ((reread = true), 'x'));
    assert.equal(reread, false, 'a was used last, b went first');
    texts.get('b', stamp(1), () => ((reread = true), 'y'));
    assert.equal(reread, true);
  });

  it('does not trust a read made within RACY_MS of the file\'s last change: the next request reads again', () => {
    let now = 10_000;
    const texts = new DiskTexts(undefined, () => now);
    let reads = 0;
    const read = () => (reads++, 'text');
    const fresh = stamp(4, now - 100, now - 100);
    texts.get('a.ts', fresh, read);
    texts.get('a.ts', fresh, read);
    assert.equal(reads, 2, 'changed 100 ms before the read: read again');
    now += RACY_MS;
    texts.get('a.ts', fresh, read);
    texts.get('a.ts', fresh, read);
    assert.equal(reads, 3, 'once the change has settled, the stamp holds');
  });
});
