// Which endpoints keep code on this machine or the user's network, and which are elsewhere.
import * as assert from 'node:assert/strict';
import { hostOf, staysOnPrivateNetwork } from '../../../../src/core/providers/http/hostLocality';

describe('staysOnPrivateNetwork', () => {
  const near = [
    'http://127.0.0.1:11434',
    'http://localhost:8080/v1',
    'http://ollama.localhost',
    'http://gpu-box.local:11434',
    'http://10.1.2.3',
    'http://172.16.0.9',
    'http://172.31.255.1',
    'http://192.168.1.20:8000/v1',
    'http://169.254.10.10',
    'http://100.101.102.103',
    'http://[::1]:11434',
    'http://[fd12:3456::1]',
    'http://[fe80::1]',
    'http://[::ffff:192.168.0.5]',
  ];
  const far = [
    'https://api.openai.com/v1',
    'https://collector.example',
    'http://8.8.8.8',
    'http://172.32.0.1',
    'http://192.169.0.1',
    'http://[2001:db8::1]',
    'http://localhost.evil.example',
    'http://127.0.0.1.nip.io',
    'not a url',
  ];
  for (const url of near) it(`${url} stays near`, () => assert.equal(staysOnPrivateNetwork(url), true));
  for (const url of far) it(`${url} leaves the machine`, () => assert.equal(staysOnPrivateNetwork(url), false));

  it('hostOf names the host and port', () => {
    assert.equal(hostOf('https://collector.example:8443/v1'), 'collector.example:8443');
    assert.equal(hostOf('nope'), 'nope');
  });
});
