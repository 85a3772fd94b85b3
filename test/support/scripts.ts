/**
 * Which bundled script a test runs for a command: `gate` and `batch` run in the lookup script, as
 * Terraform and the construct run them; everything else in the `dts-sync-check` CLI.
 */
import { cliScriptPath, lookupScriptPath } from '../../src/bundles';

export function scriptFor(command: string | undefined): string {
  return command === 'gate' || command === 'batch' ? lookupScriptPath() : cliScriptPath();
}

export { cliScriptPath, lookupScriptPath };
