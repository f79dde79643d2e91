// Test helper: prints readTree(root) as JSON with the chosen implementation. Run as another user
// by native/helper.test.ts so that permission errors are real (root reads 0200 files on tmpfs).
import { fallbackHelper, nativeHelper } from '../index.js';

const [impl, root] = process.argv.slice(2);
const helper = impl === 'native' ? nativeHelper() : fallbackHelper;
if (!helper) throw new Error('native addon not built');
helper.readTree(root).then(
  (entries) => process.stdout.write(JSON.stringify(entries)),
  (e: { code?: string }) => process.stdout.write(JSON.stringify({ rejected: e.code })),
);
