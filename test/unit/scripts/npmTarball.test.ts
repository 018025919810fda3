// scripts/npmTarball.mjs fetches a package's tarball with `npm pack` and keeps it only when its bytes
// match the sha512 the caller knows. Run against a stand-in `npm` (a small shell script that writes
// what it is told to), so the checks need no network: a cached match is used as is, a wrong download
// or a failed one is refused naming the package, a stale cached file is replaced.
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScript, type NpmTarballModule } from '../../support/packagingScripts';

describe('npmTarball: fetching a package tarball against a known sha512', function () {
  let nt: NpmTarballModule;
  let dir: string;
  let npm: string;
  const good = Buffer.from('the real tarball bytes');

  before(async () => {
    nt = await loadScript<NpmTarballModule>('npmTarball.mjs');
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bantam-npm-tarball-'));
    npm = join(dir, 'fake-npm');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * A stand-in npm: `npm pack SPEC --pack-destination DIR ...` writes `bytes` as SPEC's tarball, or
   * fails as npm does, with a JSON error on stdout (`json`) or only error lines on stderr (`stderr`).
   */
  function fakeNpm(outcome: { bytes?: Buffer; json?: object; stderr?: string }): void {
    const source = join(dir, 'payload');
    if (outcome.bytes) writeFileSync(source, outcome.bytes);
    const lines = ['#!/bin/sh', `echo "$@" >> ${JSON.stringify(join(dir, 'calls'))}`];
    if (outcome.json) lines.push(`echo '${JSON.stringify(outcome.json)}'`, 'echo "npm error code X" >&2', 'exit 1');
    else if (outcome.stderr) lines.push(`printf '${outcome.stderr}' >&2`, 'exit 1');
    else lines.push('dest=""; prev=""; for a in "$@"; do [ "$prev" = "--pack-destination" ] && dest="$a"; prev="$a"; done', `cp ${JSON.stringify(source)} "$dest/${nt.tarballFileName('@scope/pkg', '1.2.3')}"`);
    writeFileSync(npm, `${lines.join('\n')}\n`);
    chmodSync(npm, 0o755);
  }
  const calls = () => (existsSync(join(dir, 'calls')) ? readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n') : []);
  const cache = () => join(dir, 'cache');

  it('names tarballs as npm does and computes sha512 integrity strings', () => {
    assert.equal(nt.tarballFileName('@node-llama-cpp/mac-arm64-metal', '3.21.1'), 'node-llama-cpp-mac-arm64-metal-3.21.1.tgz');
    assert.equal(nt.tarballFileName('node-llama-cpp', '3.22.1'), 'node-llama-cpp-3.22.1.tgz');
    assert.equal(nt.integrityOf(Buffer.from('abc')), 'sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==');
  });

  it('downloads once with npm pack, then uses the cached tarball without npm', () => {
    fakeNpm({ bytes: good });
    const file = nt.fetchNpmTarball({ name: '@scope/pkg', version: '1.2.3', integrity: nt.integrityOf(good), dir: cache(), npm });
    assert.deepEqual(readFileSync(file), good);
    assert.equal(calls().length, 1);
    assert.match(calls()[0], /^pack @scope\/pkg@1\.2\.3 /);
    const again = nt.fetchNpmTarball({ name: '@scope/pkg', version: '1.2.3', integrity: nt.integrityOf(good), dir: cache(), npm });
    assert.equal(again, file);
    assert.equal(calls().length, 1, 'no second npm call');
    assert.deepEqual(readdirSync(cache()), [nt.tarballFileName('@scope/pkg', '1.2.3')], 'no staging folder left behind');
  });

  it('refuses a download whose sha512 is not the expected one, naming the package, and keeps nothing', () => {
    fakeNpm({ bytes: Buffer.from('tampered') });
    assert.throws(
      () => nt.fetchNpmTarball({ name: '@scope/pkg', version: '1.2.3', integrity: nt.integrityOf(good), dir: cache(), npm }),
      /@scope\/pkg@1\.2\.3: the downloaded tarball's sha512 .* is not the expected sha512-/,
    );
    assert.ok(!existsSync(join(cache(), nt.tarballFileName('@scope/pkg', '1.2.3'))));
  });

  it('says which package could not be downloaded and what npm said', () => {
    fakeNpm({ json: { error: { code: 'E404', summary: '404 Not Found - GET https://registry.example/@scope%2fpkg - Not found', detail: 'more' } } });
    assert.throws(
      () => nt.fetchNpmTarball({ name: '@scope/pkg', version: '1.2.3', integrity: nt.integrityOf(good), dir: cache(), npm }),
      /^Error: could not download @scope\/pkg@1\.2\.3 from the npm registry: E404: 404 Not Found - GET https:\/\/registry\.example\/@scope%2fpkg - Not found$/,
    );
    fakeNpm({ stderr: 'npm error code ECONNREFUSED\\nnpm error     at ClientRequest.emit (x.js:1:1)\\nnpm error A complete log of this run can be found in: /x.log\\n' });
    assert.throws(
      () => nt.fetchNpmTarball({ name: '@scope/pkg', version: '1.2.3', integrity: nt.integrityOf(good), dir: cache(), npm }),
      /^Error: could not download @scope\/pkg@1\.2\.3 from the npm registry: code ECONNREFUSED$/,
    );
  });

  it('replaces a cached tarball that no longer matches', () => {
    fakeNpm({ bytes: good });
    const stale = join(cache(), nt.tarballFileName('@scope/pkg', '1.2.3'));
    nt.fetchNpmTarball({ name: '@scope/pkg', version: '1.2.3', integrity: nt.integrityOf(good), dir: cache(), npm });
    writeFileSync(stale, 'corrupted on disk');
    const file = nt.fetchNpmTarball({ name: '@scope/pkg', version: '1.2.3', integrity: nt.integrityOf(good), dir: cache(), npm });
    assert.deepEqual(readFileSync(file), good);
    assert.equal(calls().length, 2);
  });

  it('will not fetch without an integrity to check against', () => {
    assert.throws(() => nt.fetchNpmTarball({ name: 'pkg', version: '1.0.0', integrity: '', dir: cache(), npm }), /pkg@1\.0\.0: no sha512 integrity/);
  });
});
