// Where `bantam next-edit` looks for the models the extension downloaded.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { vscodeModelsDir } from '../../../src/cli/vscodeModelsDir';

describe('vscodeModelsDir', () => {
  it('is BANTAM_MODELS_DIR when set, else VS Code’s global storage for Bantam on each platform', () => {
    assert.equal(vscodeModelsDir({ BANTAM_MODELS_DIR: '/m' }, 'linux'), '/m');
    assert.equal(vscodeModelsDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux'), join('/cfg', 'Code', 'User', 'globalStorage', 'bantam.bantam', 'models'));
    assert.equal(vscodeModelsDir({ APPDATA: '/roaming' }, 'win32'), join('/roaming', 'Code', 'User', 'globalStorage', 'bantam.bantam', 'models'));
    assert.match(vscodeModelsDir({}, 'darwin'), /Library[\\/]Application Support[\\/]Code[\\/]User[\\/]globalStorage[\\/]bantam\.bantam[\\/]models$/);
  });
});
