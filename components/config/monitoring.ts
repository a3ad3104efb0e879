/** Section: monitoring (the Auth0 log stream, rules, alarms and dashboard), its opt-out and thresholds. */
import type { SsoAlarmThresholds } from "../monitoring/sso-alarms";
import { hostProblem } from "./hosts";
import { setCommand, type ProjectKey } from "./keys";
import type { ConfigReader } from "./reader";

/** The monitoring settings of a stack. */
export interface MonitoringSettings {
  /** Declare the monitoring resources (`false` opts the stack out). */
  readonly monitoring: boolean;
  /** An address the alarm topic e-mails, or `""` for none. */
  readonly alarmEmail: string;
  readonly alarmThresholds: SsoAlarmThresholds;
}

/** A settings-load failure means every sign-in answers 503: one is enough to page. */
const SETTINGS_LOAD_FAILURES_TO_ALARM = 1;
/** Below this many requests in five minutes, the endpoint's error ratios say nothing. */
const ENDPOINT_MIN_REQUESTS = 20;

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/;

/** Why an e-mail address is malformed, or `undefined` when it is a plain `local@host.domain`. */
export function emailProblem(address: string): string | undefined {
  const at = address.lastIndexOf("@");
  if (at <= 0 || at === address.length - 1)
    return "expected an e-mail address such as sso-oncall@example.com";
  const local = address.slice(0, at);
  const domain = address.slice(at + 1).toLowerCase();
  if (!LOCAL_PART.test(local) || local.startsWith(".") || local.endsWith(".") || local.includes("..")) {
    return "expected an e-mail address whose part before @ has no spaces, quotes, commas or brackets";
  }
  const p = hostProblem(domain);
  return p ? `expected an e-mail address at a real domain: ${p}` : undefined;
}

/** Reads the opt-out, the alarm address and the thresholds. */
export function readMonitoring(r: ConfigReader): MonitoringSettings {
  const alarmEmail = r.string("alarmEmail");
  if (alarmEmail !== "") {
    const p = emailProblem(alarmEmail);
    if (p) {
      r.problem(
        "alarmEmail",
        alarmEmail,
        p,
        `${setCommand("alarmEmail", "sso-oncall@example.com")}, or pulumi config rm native-web-sso:alarmEmail for no e-mail`,
      );
    }
  }
  const percent = (key: ProjectKey) => r.integer(key, 1, 100);
  const count = (key: ProjectKey) => r.integer(key, 1, 1_000_000);
  return {
    monitoring: r.boolean("monitoring"),
    alarmEmail: alarmEmail !== "" && emailProblem(alarmEmail) ? "" : alarmEmail,
    alarmThresholds: {
      exchangeFailurePercent: percent("alarmExchangeFailurePercent"),
      exchangeFailureMinCount: count("alarmExchangeFailureMinCount"),
      bindingMismatchCount: count("alarmBindingMismatchCount"),
      endpoint5xxPercent: percent("alarmEndpoint5xxPercent"),
      endpoint4xxPercent: percent("alarmEndpoint4xxPercent"),
      endpointMinRequests: ENDPOINT_MIN_REQUESTS,
      throttledRequestCount: count("alarmThrottledRequestCount"),
      functionErrorCount: count("alarmFunctionErrorCount"),
      settingsLoadFailureCount: SETTINGS_LOAD_FAILURES_TO_ALARM,
      // API Gateway gives up on an integration after 30 s: a p99 above that cannot be measured.
      loginLatencyP99Ms: r.integer("alarmLoginLatencyP99Ms", 100, 30_000),
    },
  };
}
