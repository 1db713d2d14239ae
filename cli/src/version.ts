/** fp's version, from its package.json (bundled in; read by `fp --version` before anything else loads). */
import pkg from '../package.json' with { type: 'json' };

export const version: string = pkg.version;
