// Where the model host listens and who may open it: a per-user folder only its owner can enter
// (created 0700, tightened if ours and too open, refused if a link or someone else's), an address
// per build, a pipe name per user folder on Windows, and the user's token.
import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHostDir, hostAddress, HostAddressError, hostToken, prepareHostDir } from '../../../../src/core/providers/local/hostAddress';

describe('hostAddress', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'bha-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates the folder for its user only, and tightens one of ours that is too open', () => {
    const dir = join(root, 'state');
    prepareHostDir(dir);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    chmodSync(dir, 0o755);
    prepareHostDir(dir);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
  });

  it('refuses a folder that is a link', () => {
    const real = join(root, 'real');
    mkdirSync(real, { mode: 0o700 });
    const link = join(root, 'link');
    symlinkSync(real, link);
    assert.throws(() => prepareHostDir(link), (e: unknown) => e instanceof HostAddressError && /not a plain directory/.test(e.message));
  });

  it("refuses another user's folder", () => {
    const dir = join(root, 'theirs');
    mkdirSync(dir, { mode: 0o700 });
    // As seen by a user with another uid than the folder's owner.
    const otherUid = statSync(dir).uid + 1;
    assert.throws(() => prepareHostDir(dir, 'linux', otherUid), (e: unknown) => e instanceof HostAddressError && /belongs to another user/.test(e.message));
  });

  it('names a socket per build, a private one per client, and a pipe per user folder on Windows', () => {
    const a = hostAddress('/run/user/1000/bantam', 'aaaaaaaaaaaa', undefined, 'linux');
    assert.equal(a.socketPath, '/run/user/1000/bantam/host-v1-aaaaaaaaaaaa.sock');
    assert.equal(a.hostId, 'v1-aaaaaaaaaaaa');
    assert.notEqual(hostAddress('/run/user/1000/bantam', 'bbbbbbbbbbbb', undefined, 'linux').socketPath, a.socketPath);
    assert.equal(hostAddress('/run/user/1000/bantam', 'aaaaaaaaaaaa', '42-ff', 'linux').socketPath, '/run/user/1000/bantam/host-v1-aaaaaaaaaaaa-42-ff.sock');
    const alice = hostAddress('C:\\Users\\alice\\AppData\\Local\\Bantam\\host', 'aaaaaaaaaaaa', undefined, 'win32').socketPath;
    const bob = hostAddress('C:\\Users\\bob\\AppData\\Local\\Bantam\\host', 'aaaaaaaaaaaa', undefined, 'win32').socketPath;
    assert.match(alice, /^\\\\\.\\pipe\\bantam-[0-9a-f]{16}-host-v1-aaaaaaaaaaaa$/);
    assert.notEqual(alice, bob);
  });

  it('refuses a socket path longer than the platforms allow, naming the setting to fix it', () => {
    assert.throws(() => hostAddress(`/tmp/${'x'.repeat(100)}`, 'aaaaaaaaaaaa', undefined, 'linux'), /BANTAM_MODEL_HOST_DIR/);
  });

  it('picks the state folder from the environment', () => {
    assert.equal(defaultHostDir({ BANTAM_MODEL_HOST_DIR: '/x' }, 'linux'), '/x');
    assert.equal(defaultHostDir({ XDG_RUNTIME_DIR: '/run/user/1000' }, 'linux'), '/run/user/1000/bantam');
    assert.equal(defaultHostDir({ LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'win32'), join('C:\\Users\\a\\AppData\\Local', 'Bantam', 'host'));
    assert.match(defaultHostDir({}, 'darwin'), /bantam-/);
  });

  it('creates the token once (0600) and reads the same one after', () => {
    const address = hostAddress(root, 'aaaaaaaaaaaa');
    const token = hostToken(address);
    assert.match(token, /^[0-9a-f]{64}$/);
    assert.equal(statSync(address.tokenPath).mode & 0o777, 0o600);
    assert.equal(hostToken(address), token);
    writeFileSync(address.tokenPath, 'garbage');
    assert.throws(() => hostToken(address), /malformed/);
  });
});
