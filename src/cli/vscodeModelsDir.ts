// Where the VS Code extension keeps the models it downloads (its global storage's models/ folder),
// so the CLI can use a model downloaded there ("Bantam: Download Next-Edit Model") without a path.
// VS Code names the folder after the extension's lower-cased id, under its user data folder.
import * as os from 'node:os';
import * as path from 'node:path';

const EXTENSION_ID = 'bantam.bantam';

/** BANTAM_MODELS_DIR, else desktop VS Code's global storage for Bantam on this platform. */
export function vscodeModelsDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.BANTAM_MODELS_DIR) return env.BANTAM_MODELS_DIR;
  const home = os.homedir();
  const userData =
    platform === 'win32'
      ? path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'Code')
      : platform === 'darwin'
        ? path.join(home, 'Library', 'Application Support', 'Code')
        : path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'Code');
  return path.join(userData, 'User', 'globalStorage', EXTENSION_ID, 'models');
}
