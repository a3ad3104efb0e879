/**
 * `npm run --silent stacks`: the project's stacks in deploy order, as `$GITHUB_OUTPUT` lines. The
 * workflows' matrices come from this, so a new `Pulumi.<name>.yaml` is previewed, deployed (after
 * the non-production stacks if it is production) and checked for drift with no workflow edit.
 */
import { deployOrder, githubOutputs } from "./stacks";

process.stdout.write(githubOutputs(deployOrder()));
