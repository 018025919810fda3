// The code the recall benchmark (bench/recallBench.ts) samples call sites from: real multi-file
// projects available offline, copied into a temporary folder at run time (third-party code is never
// committed), one folder per project so each is indexed as its own workspace, as a user opens it.
//   TS/JS   sources that packages ship unminified in this repository's node_modules;
//   Python  packages of the interpreter's standard library;
//   Go      the module in bench/fixtures/recall/go (written for this benchmark: no Go project ships
//           with this machine), and git's contrib/persistent-https when the git docs carry it.
// `--recall-held-out` adds a held-out set (heldOutProjects), and `--recall-corpus DIR` each folder under
// DIR as one more held-out project.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface RecallProject {
  name: string;
  /** Where the sources are. */
  source: string;
  /** Path inside the project's workspace to copy them to, so imports resolve as in the original. */
  into: string;
  /** From the held-out set or the --recall-corpus folder: reported apart from the built-in set. */
  heldOut: boolean;
  /** Names of files and folders not copied. */
  skip?: readonly string[];
}

function pythonStdlib(): string | undefined {
  const run = spawnSync('python3', ['-c', 'import sysconfig;print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' });
  const dir = run.status === 0 ? run.stdout.trim() : '';
  return dir && existsSync(dir) ? dir : undefined;
}

/**
 * Standard-library packages under their import names, so `from email.utils import x` resolves;
 * their own tests (a `test` folder inside some) are not the package.
 */
function pythonPackages(names: readonly string[], heldOut: boolean): RecallProject[] {
  const stdlib = pythonStdlib();
  return names.map((pkg) => ({ name: `python-${pkg}`, source: stdlib ? join(stdlib, pkg) : '', into: pkg, heldOut, skip: ['test'] }));
}

/** The built-in projects that exist on this machine, then the held-out ones. */
export function recallProjects(repoRoot: string, heldOutDir?: string, heldOutSet = false): RecallProject[] {
  const modules = join(repoRoot, 'node_modules');
  const wanted: RecallProject[] = [
    // TypeScript sources (ajv ships lib/ beside its compiled dist/), CommonJS libraries.
    { name: 'ajv', source: join(modules, 'ajv', 'lib'), into: 'lib', heldOut: false },
    { name: 'semver', source: join(modules, 'semver'), into: '.', heldOut: false },
    { name: 'undici', source: join(modules, 'undici', 'lib'), into: 'lib', heldOut: false },
    { name: 'mocha', source: join(modules, 'mocha', 'lib'), into: 'lib', heldOut: false },
    ...pythonPackages(['email', 'json', 'asyncio', 'importlib'], false),
    { name: 'go-shop', source: join(repoRoot, 'bench', 'fixtures', 'recall', 'go'), into: '.', heldOut: false },
    { name: 'go-persistent-https', source: '/usr/share/doc/git/contrib/persistent-https', into: '.', heldOut: false },
  ];
  const projects = wanted.filter((p) => p.source && existsSync(p.source));
  if (heldOutSet) projects.push(...heldOutProjects(repoRoot));
  if (heldOutDir) {
    for (const name of readdirSync(heldOutDir).sort()) {
      const source = join(heldOutDir, name);
      if (statSync(source).isDirectory()) projects.push({ name: `held-out/${name}`, source, into: '.', heldOut: true });
    }
  }
  return projects;
}

/**
 * The second set (`--recall-held-out`, reported as held-out; looked at while developing issue 16's
 * candidates, so no longer held out), those of its projects on this machine. Go modules come from Debian's source packages (apt-get install
 * golang-github-hashicorp-hcl-dev golang-github-burntsushi-toml-dev golang-github-pelletier-go-toml-dev).
 */
export function heldOutProjects(repoRoot: string): RecallProject[] {
  const modules = join(repoRoot, 'node_modules');
  const gocode = '/usr/share/gocode/src/github.com';
  const wanted: RecallProject[] = [
    { name: 'cheerio', source: join(modules, 'cheerio', 'src'), into: 'src', heldOut: true },
    { name: 'htmlparser2', source: join(modules, 'htmlparser2', 'src'), into: 'src', heldOut: true },
    { name: 'js-yaml', source: join(modules, 'js-yaml', 'lib'), into: 'lib', heldOut: true },
    ...pythonPackages(['unittest', 'multiprocessing', 'logging', 'http'], true),
    { name: 'go-hcl', source: join(gocode, 'hashicorp', 'hcl'), into: '.', heldOut: true },
    { name: 'go-burntsushi-toml', source: join(gocode, 'BurntSushi', 'toml'), into: '.', heldOut: true },
    { name: 'go-pelletier-toml', source: join(gocode, 'pelletier', 'go-toml'), into: '.', heldOut: true },
  ];
  return wanted.filter((p) => p.source && existsSync(p.source)).map((p) => ({ ...p, name: `held-out/${p.name}` }));
}

/** Copies a project's sources under `workspace`, leaving out nested dependencies, bundles and caches. */
export function copyProject(project: RecallProject, workspace: string): void {
  cpSync(project.source, join(workspace, project.into), {
    recursive: true,
    filter: (path) => {
      const name = basename(path);
      if (project.skip?.includes(name) && path !== project.source) return false;
      return name !== 'node_modules' && name !== '__pycache__' && name !== '.git' && !name.includes('.min.');
    },
  });
}
