/**
 * fp's entry: `fp --version` answers before anything loads; everything else goes through the command
 * tree (program.ts), whose actions load their command group on demand. Every failure ends as one
 * sentence on stderr and a documented exit code (exit-codes.ts), never a stack trace (FP_DEBUG=1
 * shows one).
 */
import { version } from './version.js';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${version}\n`);
} else {
  const { run } = await import('./program.js');
  // Exit at once: fetch's kept-alive connections would hold the process for seconds (stdout and stderr
  // are synchronous on Linux, so nothing written is lost).
  process.exit(await run(process.argv));
}
