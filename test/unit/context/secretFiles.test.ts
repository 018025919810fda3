// Tests for the secret-file rules: which paths and contents are kept out of the index and prompts.
import * as assert from 'node:assert/strict';
import { isSecretPath, looksLikeSecretContent } from '../../../src/core/context/secretFiles';

describe('secretFiles', () => {
  describe('isSecretPath', () => {
    const secret = [
      '.env',
      '.env.local',
      '.env.production',
      '.env.example',
      'config/.ENV.test',
      '.envrc',
      'deploy/prod.env',
      'certs/server.pem',
      'certs/server.key',
      'keys/store.p12',
      'keys/store.pfx',
      'android/release.jks',
      'android/debug.keystore',
      'vault.kdbx',
      'id_rsa',
      'home/id_ed25519',
      'id_ecdsa_work',
      '.ssh/config',
      'home/.ssh/known_hosts',
      '.aws/credentials',
      '.npmrc',
      'sub/.pypirc',
      '.netrc',
      '.git-credentials',
      'credentials.json',
      'client_secret_1234.apps.json',
      'k8s/secrets.yaml',
      'deploy/db-credentials',
      'k8s/secrets/prod.yaml',
      'infra/terraform.tfstate',
      'infra/terraform.tfstate.backup',
      'infra/prod.tfvars',
      'etc/htpasswd',
      'public/.htpasswd',
      'scripts/secrets.sh',
      'C:\\repo\\.env',
    ];
    const kept = [
      'src/index.ts',
      'id_rsa.pub',
      'keys/id_ed25519.pub',
      'src/secretStore.ts',
      'lib/credentials_provider.py',
      'src/secrets/manager.go',
      'environment.ts',
      'src/envelope.rs',
      'README.md',
      'certs/ca.crt',
      'keyboard.c',
      'docs/keys.md',
      'monkey.json',
    ];
    for (const p of secret) it(`treats ${p} as secret`, () => assert.equal(isSecretPath(p), true));
    for (const p of kept) it(`keeps ${p}`, () => assert.equal(isSecretPath(p), false));

    const dirs: [string, boolean][] = [
      ['.ssh', true],
      ['home/.aws', true],
      ['.gnupg', true],
      ['secrets', false],
      ['src', false],
    ];
    for (const [dir, expected] of dirs) {
      it(`folder ${dir} is ${expected ? 'secret' : 'kept'}`, () => assert.equal(isSecretPath(dir, true), expected));
    }
  });

  describe('looksLikeSecretContent', () => {
    // Built from pieces so this test file itself does not look like it holds a key.
    const begin = (label: string): string => `-----BEGIN ${label}-----`;
    const body = 'MIIEowIBAAKCAQEAx3Qw'.repeat(3);
    const cases: [name: string, text: string, expected: boolean][] = [
      ['RSA private key in a template string', `const k = \`${begin('RSA PRIVATE KEY')}\n${body}\``, true],
      ['OpenSSH private key', `${begin('OPENSSH PRIVATE KEY')}\n${body}\n`, true],
      ['PKCS#8 private key in JSON', `{"key": "${begin('PRIVATE KEY')}\\n${body}\\n"}`, true],
      ['encrypted PEM with headers', `${begin('RSA PRIVATE KEY')}\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF\n\n${body}`, true],
      ['EC private key', `${begin('EC PRIVATE KEY')}\r\n${body}`, true],
      ['PGP private key block', `${begin('PGP PRIVATE KEY BLOCK')}\n\n${body}`, true],
      ['docs mentioning the PEM format', `// key (should contain ${begin('PRIVATE KEY')} ... -----END PRIVATE KEY----- )\nexport const x = 1;`, false],
      ['AWS access key id', `aws_access_key_id = ${'AKIA'}ABCDEFGHIJKLMNOP`, true],
      ['GitHub token', `token: ${'ghp_'}${'a'.repeat(36)}`, true],
      ['public key', `${begin('PUBLIC KEY')}\nMIIB`, false],
      ['certificate', `${begin('CERTIFICATE')}\nMIIB`, false],
      ['code mentioning keys', 'const privateKey = loadKey(); // PRIVATE KEY handling', false],
      ['empty', '', false],
    ];
    for (const [name, text, expected] of cases) {
      it(`${expected ? 'flags' : 'passes'} ${name}`, () => assert.equal(looksLikeSecretContent(text), expected));
    }

    it('looks only at the first 64 KB', () => {
      const late = `${'x'.repeat(70 * 1024)}\n${begin('RSA PRIVATE KEY')}\n${body}`;
      const early = `${'x '.repeat(30 * 1024)}\n${begin('RSA PRIVATE KEY')}\n${body}`;
      assert.equal(looksLikeSecretContent(late), false);
      assert.equal(looksLikeSecretContent(early), true);
    });
  });
});
