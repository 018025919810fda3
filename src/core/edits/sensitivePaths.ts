// Files that run code or configure the tools that do: a model's edit to one of them is a way from a
// prompt injection (a comment in a retrieved file saying "also add a postinstall script") to code
// running on the user's machine. Bantam may still change them, because refactors legitimately touch
// package.json or a CI workflow, but only when the user confirms them by name: the preview flags
// them, the editor asks again naming them, and the CLI needs --allow-sensitive for each.

/** Folders whose files run or configure code: editor tasks, CI, git and Mercurial hooks, containers. */
const SENSITIVE_FOLDERS: ReadonlyArray<[folder: string, why: string]> = [
  ['.vscode', 'configures VS Code (tasks run when the folder opens, settings choose where code is sent)'],
  ['.github', 'configures GitHub (workflows run in CI with its secrets)'],
  ['.gitlab', 'configures GitLab CI'],
  ['.circleci', 'configures CI'],
  ['.husky', 'holds git hooks that run on commit and push'],
  ['.githooks', 'holds git hooks'],
  ['.devcontainer', 'configures the dev container (commands run when it starts)'],
  ['.hg', "is Mercurial's folder (its hooks run on every command)"],
  ['.idea', 'configures the IDE (run configurations)'],
  ['node_modules', 'holds installed packages (their code runs when imported)'],
];

/** Exact file names (lower case) that run code or decide what runs. */
const SENSITIVE_NAMES: ReadonlyMap<string, string> = new Map([
  ['package.json', 'holds package scripts that npm runs (install, test, build)'],
  ['conftest.py', 'runs whenever pytest collects tests'],
  ['setup.py', 'runs on pip install'],
  ['noxfile.py', 'runs with nox'],
  ['tox.ini', 'decides what tox runs'],
  ['pyproject.toml', 'configures the build backend and tools that run'],
  ['makefile', 'decides what make runs'],
  ['gnumakefile', 'decides what make runs'],
  ['justfile', 'decides what just runs'],
  ['rakefile', 'decides what rake runs'],
  ['taskfile.yml', 'decides what task runs'],
  ['build.gradle', 'runs in every Gradle build'],
  ['build.gradle.kts', 'runs in every Gradle build'],
  ['settings.gradle', 'runs in every Gradle build'],
  ['settings.gradle.kts', 'runs in every Gradle build'],
  ['cmakelists.txt', 'runs in every CMake configure'],
  ['dockerfile', 'decides what a container build runs'],
  ['docker-compose.yml', 'decides what containers run'],
  ['docker-compose.yaml', 'decides what containers run'],
  ['.pre-commit-config.yaml', 'decides which hooks run on commit'],
  ['.gitlab-ci.yml', 'decides what GitLab CI runs'],
  ['.travis.yml', 'decides what CI runs'],
  ['.envrc', 'runs when direnv enters the folder'],
  ['.bashrc', 'runs in every shell'],
  ['.zshrc', 'runs in every shell'],
  ['.profile', 'runs in every login shell'],
]);

/**
 * Why `path` (workspace-relative, `/`-separated, as normalizeWorkspacePath gives it) runs code or
 * configures tools, in a few words, or undefined for an ordinary file. Names compare case-insensitively.
 */
export function sensitivePathReason(path: string): string | undefined {
  const parts = path.toLowerCase().split('/');
  const name = parts[parts.length - 1]!;
  for (const [folder, why] of SENSITIVE_FOLDERS) if (parts.slice(0, -1).includes(folder)) return why;
  // .gitignore, .gitattributes, .gitmodules, .git-blame-ignore-revs: git reads them (filters, submodule URLs).
  if (name.startsWith('.git')) return 'configures git (filters and submodules can run commands)';
  const named = SENSITIVE_NAMES.get(name);
  if (named) return named;
  // eslint.config.js, vite.config.ts, jest.config.mjs, webpack.config.cjs: loaded and run by the tool.
  if (/\.config\.(?:[cm]?[jt]s|json)$/.test(name) || /^\.[a-z0-9-]+rc\.(?:[cm]?js|ts)$/.test(name)) return 'is a config file the tool runs as code';
  if (/\.(?:sh|bash|zsh|ps1|bat|cmd)$/.test(name)) return 'is a script';
  return undefined;
}

/** The paths among `paths` that need a confirmation by name, with why. */
export function sensitiveChanges(paths: readonly string[]): Array<{ path: string; why: string }> {
  return paths.flatMap((path) => {
    const why = sensitivePathReason(path);
    return why === undefined ? [] : [{ path, why }];
  });
}
