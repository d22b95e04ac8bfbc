import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The project has no lockfile (installed with --no-package-lock): name its root, so Next does
// not look for one in the directories above.
const root = path.dirname(fileURLToPath(import.meta.url));

export default { turbopack: { root }, outputFileTracingRoot: root };
