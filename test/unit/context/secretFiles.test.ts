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
      // Kubernetes, Terraform, cloud service accounts
      'kubeconfig.yaml',
      'k8s/kubeconfig-prod',
      'infra/prod.tfvars.json',
      'infra/region.auto.tfvars.json',
      '.terraformrc',
      'terraform.rc',
      'docker/config.json',
      'service-account.json',
      'deploy/service_account-prod.json',
      'gcp-key.json',
      'my-project-1a2b3c4d5e6f.json',
      'app-firebase-adminsdk-x1y2z.json',
      // package-manager and tool configs
      '.yarnrc.yml',
      '.gitcookies',
      '.my.cnf',
      '.mylogin.cnf',
      'pip.conf',
      'nuget.config',
      '.m2/settings.xml',
      'settings-security.xml',
      'gradle.properties',
      'auth.json',
      '.vault-token',
      'rclone.conf',
      // keys and keystores
      'private.asc',
      'key.gpg',
      'vpn/office.ovpn',
      'AuthKey_ABC123.p8',
      'krb5.keytab',
      // shell and database histories
      '.bash_history',
      'home/.zsh_history',
      '.psql_history',
      '.python_history',
      // names Windows and HFS+ read as a secret name
      '.npmrc.',
      'server.pem.',
      '.env ',
      '.n\u200cpmrc',
      '.ENV.',
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
      'src/kubeconfigLoader.ts',
      'src/serviceAccount.ts',
      'settings.xml',
      'res/xml/settings.xml',
      'config.json',
      'package.json',
      'tsconfig.json',
      'src/history.ts',
      'docs/history.md',
      'public/key.svg',
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
      // Tokens, each split so this file does not carry one.
      ['Anthropic key', `ANTHROPIC_API_KEY=${'sk-ant-'}api03-${'Ab1_'.repeat(20)}`, true],
      ['OpenAI project key', `key = "${'sk-'}proj-${'Zx9-'.repeat(20)}"`, true],
      ['OpenAI legacy key', `openai.api_key = "${'sk-'}${'a1B2c3D4'.repeat(6)}"`, true],
      ['GitLab token', `token: ${'glpat-'}${'x'.repeat(20)}`, true],
      ['Hugging Face token', `HF_TOKEN=${'hf_'}${'A'.repeat(34)}`, true],
      ['SendGrid key', `${'SG.'}${'a'.repeat(22)}.${'b'.repeat(43)}`, true],
      ['Stripe restricted key', `${'rk_'}live_${'9'.repeat(24)}`, true],
      ['PyPI token', `password = ${'pypi-'}AgE${'I'.repeat(60)}`, true],
      ['Docker Hub token', `${'dckr_'}pat_${'Q'.repeat(27)}`, true],
      ['Google OAuth secret', `"client_secret": "${'GOCSPX-'}${'k'.repeat(28)}"`, true],
      ['Slack refresh token', `${'xoxe-'}1-${'A'.repeat(30)}`, true],
      ['Slack webhook', `url: ${'https://hooks.slack.com/'}services/T0123ABC/B0456DEF/${'z'.repeat(24)}`, true],
      ['Discord webhook', `${'https://discord.com/'}api/webhooks/123456789/${'w'.repeat(68)}`, true],
      ['signed JWT', `Authorization: Bearer ${'eyJ'}hbGciOiJIUzI1NiJ9.${'eyJ'}zdWIiOiIxMjM0NTY3ODkwIn0.${'s'.repeat(43)}`, true],
      ['database URL with a password', `DATABASE_URL=postgres://app:${'s3cr'}et-pw@db.internal:5432/app`, true],
      ['Azure storage connection string', `DefaultEndpointsProtocol=https;AccountName=x;${'AccountKey='}${'K'.repeat(86)}==`, true],
      ['kubeconfig client key', `    ${'client-key-data'}: ${'L'.repeat(64)}`, true],
      ['npm legacy auth line', `//registry.npmjs.org/:${'_authToken'}=${'0123abcd'.repeat(4)}`, true],
      ['AWS secret key by name', `${'aws_secret_access_key'} = ${'wJalrXUtnFEMI/K7MDENG/bPxRfiCY'}EXAMPLEKEY`, true],
      ['service-account JSON', `{"type": "${'service_'}account", "project_id": "p"}`, true],
      // Ordinary code that must pass.
      ['a URL built from variables', 'const url = `${scheme}://${user}:${password}@${host}/${db}`;', false],
      ['a printf URL template', 'url = "postgres://%s:%s@%s/%s" % (user, pw, host, db)', false],
      ['a documented placeholder URL', 'connect to postgres://<user>:<password>@localhost', false],
      ['a plain URL with a port', 'fetch("http://localhost:8080/api")', false],
      ['an email address', 'mailto:someone@example.com', false],
      ['a word starting with sk-', 'const mask = "sk-learn-compatible";', false],
      ['a short hf_ name', 'def hf_download(repo): pass', false],
      ['a JWT-like header only', 'const header = "eyJhbGciOiJIUzI1NiJ9";', false],
      ['a type field in JSON', '{"type": "module", "name": "app"}', false],
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
