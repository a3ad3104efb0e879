/**
 * The physical AWS names of one stack's resources, shared by the main program (which gives them)
 * and the identities program (whose roles and boundary are scoped to them).
 *
 * Every name carries the project and the stack, and the stack part is followed by a character no
 * stack name may hold, so a name or ARN pattern of one stack never matches another stack's in the
 * same account (`native-web-sso-dev_*` cannot match `native-web-sso-dev-eu_endpoint`):
 *
 * - names that live in a path (log groups, SSM parameters) put the stack in its own segment,
 *   `/native-web-sso/<stack>/...`: a stack name holds no `/`;
 * - flat names (Lambda function, IAM role, EventBridge rules, SNS topic, alarms) are
 *   `native-web-sso-<stack>_<what>`: `_` is the one separator every one of these services allows
 *   (Lambda function names: letters, digits, `-` and `_`; IAM role names `[\w+=,.@-]`; rule names
 *   `[.\-_A-Za-z0-9]`), and {@link stackNameProblem} keeps `_` out of stack names;
 * - resources AWS names by a random ID (HTTP APIs, custom domain names, ACM certificates, the
 *   partner event bus) carry the tag {@link STACK_TAG_KEY} = `<stack>`, which the identities'
 *   conditions compare exactly (`aws:RequestTag/...`, `aws:ResourceTag/...`).
 *
 * Stack names are lower-case because IAM role names are unique regardless of case (IAM User
 * Guide, "IAM object names": "names are not distinguished by case").
 */

/** The tag every randomly named resource of a stack carries; its value is the stack's name. */
export const STACK_TAG_KEY = "native-web-sso:stack";

/** AWS's longest name limits among the flat names (Lambda, IAM role, EventBridge rule: 64). */
const FLAT_NAME_MAX = 64;

/** The physical names of one stack's AWS resources. */
export interface StackAwsNames {
  readonly project: string;
  readonly stack: string;
  /** The Lambda function of the web endpoint. */
  readonly functionName: string;
  /** The function's IAM role. */
  readonly functionRoleName: string;
  /** The function's log group (the app's JSON lines). */
  readonly functionLogGroup: string;
  /** The API stage's access log group. */
  readonly accessLogGroup: string;
  /** The HTTP API's name (informational: APIs are addressed by ID, scoped by the stack tag). */
  readonly apiName: string;
  /** The log group that archives the matched Auth0 events. */
  readonly archiveLogGroup: string;
  /** The CloudWatch Logs resource policy that lets EventBridge write the archive. */
  readonly archivePolicyName: string;
  /** The SNS topic every alarm notifies. */
  readonly alarmTopicName: string;
  /** The CloudWatch dashboard. */
  readonly dashboardName: string;
  /** The SSM path below which the stack's settings live, without a trailing slash. */
  readonly settingsRoot: string;
  /** The tags of a resource AWS names by a random ID. */
  readonly tags: Readonly<Record<string, string>>;
  /** A flat name of this stack: `<project>-<stack>_<what>` (EventBridge rules, alarms). */
  readonly flat: (what: string) => string;
  /** The prefix every flat name of this stack starts with, for ARN patterns. */
  readonly flatPrefix: string;
}

/** The longest `<what>` a flat name is given (the longest outcome rule, `organization-or-user-mismatch`). */
const LONGEST_FLAT_SUFFIX = "organization-or-user-mismatch";

/**
 * Why a stack name cannot name AWS resources, or undefined when it can: lower-case letters,
 * digits and single inner hyphens, short enough for every flat name.
 */
export function stackNameProblem(project: string, stack: string): string | undefined {
  const max = FLAT_NAME_MAX - `${project}-_${LONGEST_FLAT_SUFFIX}`.length;
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(stack)) {
    return `stack name "${stack}" must be lower-case letters and digits with single inner hyphens (no "_", ".", upper case): its AWS resources are named <project>-<stack>_<what>, and IAM names ignore case`;
  }
  if (stack.length > max) {
    return `stack name "${stack}" is ${stack.length} characters; at most ${max} fit AWS's 64-character names (${project}-<stack>_${LONGEST_FLAT_SUFFIX})`;
  }
  return undefined;
}

/**
 * The physical AWS names of `stack` of `project`.
 * @throws Error when the stack name cannot name AWS resources (see {@link stackNameProblem}).
 */
export function stackAwsNames(project: string, stack: string): StackAwsNames {
  const problem = stackNameProblem(project, stack);
  if (problem) {
    throw new Error(`${problem}. Create the stack under another name (pulumi stack init <name>).`);
  }
  const flatPrefix = `${project}-${stack}_`;
  const flat = (what: string) => `${flatPrefix}${what}`;
  return {
    project,
    stack,
    functionName: flat("endpoint"),
    functionRoleName: flat("endpoint"),
    functionLogGroup: `/${project}/${stack}/endpoint`,
    accessLogGroup: `/${project}/${stack}/endpoint-access`,
    apiName: flat("endpoint"),
    // Named before the scheme; already exact and per stack, and renaming one replaces it.
    archiveLogGroup: `/aws/events/${project}/${stack}`,
    archivePolicyName: `aws-events-${project}-${stack}`,
    alarmTopicName: flat("alarms"),
    dashboardName: `${project}-${stack}`,
    settingsRoot: `/${project}/${stack}`,
    tags: { [STACK_TAG_KEY]: stack },
    flat,
    flatPrefix,
  };
}
