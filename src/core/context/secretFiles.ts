// Decides which files may hold credentials, so the codebase index never reads them into a prompt.
// Two checks: by path (cheap, before any read) and by content (a private key or a well-known token
// format in a file with an innocent name). The rules are deliberately conservative: losing one
// config file from the context costs little, sending a key to a model (and into logs, caches and
// prompt files) costs a lot. Every `.env*` counts, examples included: `.env.example` is too often
// the real file copied under another name.

/** Folders whose whole content is credentials or key material (any depth). */
const SECRET_DIRECTORIES = new Set(['.ssh', '.gnupg', '.aws', '.kube', '.docker', '.azure', '.gcloud']);

/** Exact file names (lower case) that hold credentials. */
const SECRET_NAMES = new Set([
  '.npmrc',
  '.pypirc',
  '.netrc',
  '_netrc',
  '.git-credentials',
  '.htpasswd',
  'htpasswd',
  '.pgpass',
  '.dockercfg',
  '.boto',
  '.s3cfg',
  'credentials',
  'credentials.json',
  'token.json',
  'kubeconfig',
  'wp-config.php',
  'secring.gpg',
  'authorized_keys',
  'known_hosts',
  // Kubernetes, Terraform, cloud service accounts
  'service-account.json',
  'service_account.json',
  'serviceaccount.json',
  '.terraformrc',
  'terraform.rc',
  // package managers and tools that keep tokens or passwords in their config
  '.yarnrc.yml',
  '.gitcookies',
  '.my.cnf',
  '.mylogin.cnf',
  'pip.conf',
  'nuget.config',
  'settings-security.xml',
  'gradle.properties',
  'auth.json',
  '.vault-token',
  'rclone.conf',
  '.histfile',
  // key material
  'private.asc',
]);

/** Extensions (lower case, with the dot) of key stores, private keys and secret-bearing state files. */
const SECRET_EXTENSIONS = new Set([
  '.pem',
  '.key',
  '.p12',
  '.pfx',
  '.jks',
  '.keystore',
  '.kdbx',
  '.ppk',
  '.env',
  '.tfvars',
  '.tfstate',
  '.keychain',
  '.keychain-db',
  '.mobileprovision',
  '.gpg',
  '.ovpn',
  '.p8',
  '.keytab',
]);

/**
 * Source-code extensions: a file named like `secretStore.ts` is code *about* secrets, useful context
 * and not itself a secret. Shell scripts, docs and every data format stay out of this list on purpose:
 * `secrets.sh` or `credentials.md` may well spell the values out.
 */
const CODE_EXTENSIONS = new Set([
  '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.py', '.go', '.rs', '.java', '.kt',
  '.kts', '.scala', '.c', '.h', '.cc', '.cpp', '.cxx', '.hpp', '.hh', '.hxx', '.cs', '.rb', '.php',
  '.swift', '.m', '.mm', '.dart', '.lua', '.ex', '.exs', '.erl', '.hs', '.ml', '.fs', '.vue', '.svelte',
]);

/** OpenSSH private keys: `id_rsa`, `id_ed25519_work`... but not the `.pub` half, which is public. */
const SSH_PRIVATE_KEY = /^id_(?:rsa|dsa|ecdsa|ed25519)(?:[._-].*)?$/;
const SECRET_WORD = /secret|credential/;
/**
 * Names that are credentials whatever their extension: kubeconfigs (`kubeconfig.yaml`,
 * `kubeconfig-prod`), Terraform variables (`prod.tfvars.json`), service-account and key JSON
 * (`service-account-prod.json`, `gcp-key.json`, `*-firebase-adminsdk-*.json`, and the
 * `<project>-<12 hex>.json` name Google gives downloaded keys), shell and database histories.
 */
const SECRET_NAME_PATTERN =
  /^kubeconfig|\.tfvars(?:\.json)?$|service[-_]?account.*\.json$|[-_]key\.json$|firebase-adminsdk.*\.json$|^[a-z][a-z0-9-]*-[0-9a-f]{12}\.json$|^\.[a-z0-9_]*history$/;
/** Files that hold credentials only at a known place: Docker's and Maven's user configs. */
const SECRET_PLACES = [/(?:^|\/)docker\/config\.json$/, /(?:^|\/)\.m2\/settings\.xml$/];

/**
 * One path segment as the file systems that matter see it, for comparing names: Unicode NFC, case
 * folded, without default-ignorable characters (HFS+ ignores them: `.g\u200cit` is `.git`), and
 * without trailing dots and spaces (Windows drops them: `.npmrc.` is `.npmrc`).
 */
export function canonicalSegment(segment: string): string {
  return segment
    .normalize('NFC')
    .replace(/\p{Default_Ignorable_Code_Point}/gu, '')
    .toLowerCase()
    .replace(/[. ]+$/, '');
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot) : '';
}

/**
 * True when a workspace-relative path (either slash) names a file or folder that holds secrets.
 * Names compare case-insensitively: `.ENV` on a case-insensitive disk is the same file.
 * For a directory only the folder rules apply (`.ssh/`, `.aws/`...): a folder called `secrets` may
 * hold code, and its data files are caught one by one by the file rules.
 */
export function isSecretPath(relPath: string, isDirectory = false): boolean {
  const segments = relPath
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .map(canonicalSegment);
  const name = segments.pop();
  if (name === undefined) return false;
  for (const dir of segments) if (SECRET_DIRECTORIES.has(dir)) return true;
  if (isDirectory) return SECRET_DIRECTORIES.has(name);

  if (name.startsWith('.env') || SECRET_NAMES.has(name)) return true;
  if (SECRET_PLACES.some((place) => place.test(`${segments.join('/')}/${name}`))) return true;
  const ext = extensionOf(name);
  if (SECRET_EXTENSIONS.has(ext)) return true;
  if (name.endsWith('.tfstate.backup')) return true;
  if (SSH_PRIVATE_KEY.test(name)) return !name.endsWith('.pub');
  if (CODE_EXTENSIONS.has(ext)) return false;
  if (SECRET_NAME_PATTERN.test(name)) return true;
  // secrets.yaml, client_secret_123.json, db-credentials, k8s/secrets/prod.yaml.
  if (SECRET_WORD.test(name)) return true;
  return segments.some((dir) => SECRET_WORD.test(dir));
}

/** How far into a file the content check looks: keys and tokens sit near the top of real files. */
export const SECRET_SCAN_CHARS = 64 * 1024;

/**
 * Formats precise enough that a match is almost surely a live credential, each anchored on a fixed
 * prefix or a fixed shape so the scan stays a fast regex (one alternative per line):
 */
const SECRET_CONTENT_PARTS = [
  // PEM private keys (RSA, EC, OpenSSH, PKCS#8, encrypted, PGP), only when key material (a
  // 40-character base64 run) follows: docs that merely mention "-----BEGIN PRIVATE KEY-----" pass.
  String.raw`-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[^]{0,200}?[A-Za-z0-9+/]{40}`,
  String.raw`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`, // AWS access key id
  String.raw`aws_secret_access_key\s*[=:]\s*["']?[A-Za-z0-9/+=]{40}\b`, // AWS secret, by its name
  String.raw`\bgh[pousr]_[A-Za-z0-9]{36,}\b`, // GitHub
  String.raw`\bgithub_pat_[A-Za-z0-9_]{60,}\b`,
  String.raw`\bglpat-[A-Za-z0-9_-]{20,}`, // GitLab
  String.raw`\bxox[abposre]-[0-9A-Za-z-]{10,}\b`, // Slack tokens
  String.raw`https://hooks\.slack\.com/services/T[A-Za-z0-9]+/B[A-Za-z0-9]+/[A-Za-z0-9]{16,}`,
  String.raw`https://(?:\w+\.)?discord(?:app)?\.com/api/webhooks/\d+/[A-Za-z0-9_-]{40,}`,
  String.raw`\b[sr]k_live_[0-9A-Za-z]{20,}\b`, // Stripe
  String.raw`\bAIza[0-9A-Za-z_-]{35}\b`, // Google API key
  String.raw`\bGOCSPX-[A-Za-z0-9_-]{28}`, // Google OAuth client secret
  String.raw`"type"\s*:\s*"service_account"`, // Google service-account key JSON
  String.raw`\bnpm_[A-Za-z0-9]{36}\b`, // npm
  String.raw`_authToken\s*=\s*[^\s$'"{}]{16,}`, // npm legacy auth line
  String.raw`\bpypi-AgE[A-Za-z0-9_-]{50,}`, // PyPI
  String.raw`\bdckr_pat_[A-Za-z0-9_-]{20,}`, // Docker Hub
  String.raw`\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{40,}`, // Anthropic
  String.raw`\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}`, // OpenAI project and service keys
  String.raw`\bsk-[A-Za-z0-9]{48}\b`, // OpenAI legacy keys
  String.raw`\bhf_[A-Za-z0-9]{34,}\b`, // Hugging Face
  String.raw`\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b`, // SendGrid
  String.raw`\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}`, // a signed JWT
  String.raw`AccountKey=[A-Za-z0-9+/]{40,}={0,2}`, // Azure storage connection string
  String.raw`client-key-data:\s*[A-Za-z0-9+/]{40,}`, // kubeconfig client key
  // A URL carrying a password (postgres://app:s3cret@db): user and password spelled out, not
  // built from variables (`${user}:${pass}@`, `%s:%s@`, `<user>:<password>@`).
  String.raw`\b[a-z][a-z0-9+.-]{1,15}://[^\s:/@$%{}<>()"'\`]{1,64}:[^\s:/@$%{}<>()"'\`*]{3,128}@[A-Za-z0-9.-]+`,
];
const SECRET_CONTENT = new RegExp(SECRET_CONTENT_PARTS.join('|'));

/**
 * True when the first `scanChars` (64 KB: the index's cost bound) of `text` contain a private key
 * block or a well-known token format. Text about to be sent is scanned whole.
 */
export function looksLikeSecretContent(text: string, scanChars = SECRET_SCAN_CHARS): boolean {
  const head = text.length > scanChars ? text.slice(0, scanChars) : text;
  return SECRET_CONTENT.test(head);
}
