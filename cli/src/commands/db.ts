/**
 * fp db: the app's database, its details and read-only queries through the platform's explorer. The
 * platform has no database API yet (the databases issue has not landed), so the command says so
 * instead of pretending.
 */
import { CliError, exitCodes } from '../exit-codes.js';

export async function db(): Promise<void> {
  throw new CliError('fp db needs the platform\'s database API (database details and the read-only explorer), which does not exist yet; there is nothing to show or query.',
    exitCodes.failure, 'Where the operator set up app databases, your app still receives its own as PLATFORM_MONGO_URI.');
}
