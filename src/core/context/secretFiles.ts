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
  const segments = relPath.toLowerCase().replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.');
  const name = segments.pop();
  if (name === undefined) return false;
  for (const dir of segments) if (SECRET_DIRECTORIES.has(dir)) return true;
  if (isDirectory) return SECRET_DIRECTORIES.has(name);

  if (name.startsWith('.env') || SECRET_NAMES.has(name)) return true;
  const ext = extensionOf(name);
  if (SECRET_EXTENSIONS.has(ext)) return true;
  if (name.endsWith('.tfstate.backup')) return true;
  if (SSH_PRIVATE_KEY.test(name)) return !name.endsWith('.pub');
  if (CODE_EXTENSIONS.has(ext)) return false;
  // secrets.yaml, client_secret_123.json, db-credentials, k8s/secrets/prod.yaml.
  if (SECRET_WORD.test(name)) return true;
  return segments.some((dir) => SECRET_WORD.test(dir));
}

/** How far into a file the content check looks: keys and tokens sit near the top of real files. */
export const SECRET_SCAN_CHARS = 64 * 1024;

/**
 * Formats precise enough that a match is almost surely a live credential: PEM private keys (RSA, EC,
 * OpenSSH, PKCS#8, encrypted, PGP), AWS access key ids, GitHub and Slack tokens, Stripe live secret
 * keys, Google API keys, npm tokens. Each is anchored on a fixed prefix so the scan stays a fast regex.
 * A PEM header only counts when key material (a 40-character base64 run) follows within a few lines:
 * documentation that merely mentions "-----BEGIN PRIVATE KEY----- ... -----END" is not a key.
 */
const SECRET_CONTENT =
  /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[^]{0,200}?[A-Za-z0-9+/]{40}|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{60,}\b|\bxox[abposr]-[0-9A-Za-z-]{10,}\b|\bsk_live_[0-9A-Za-z]{20,}\b|\bAIza[0-9A-Za-z_-]{35}\b|\bnpm_[A-Za-z0-9]{36}\b/;

/** True when the first 64 KB of `text` contain a private key block or a well-known token format. */
export function looksLikeSecretContent(text: string): boolean {
  const head = text.length > SECRET_SCAN_CHARS ? text.slice(0, SECRET_SCAN_CHARS) : text;
  return SECRET_CONTENT.test(head);
}
