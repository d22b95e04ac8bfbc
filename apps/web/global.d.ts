// Next's ambient types (CSS modules, images) without depending on the generated, git-ignored
// next-env.d.ts, so `tsc -p apps/web` works on a fresh clone before any build.
/// <reference types="next" />
/// <reference types="next/image-types/global" />
