/**
 * What each start-up shortcut of the offline preview (`offline/startup.ts`) buys: the wall time of
 * `npm start -- --stack prod` with all of them, with each one turned off
 * (`NATIVE_WEB_SSO_PLAIN_START=<name>`) and with none, timed in this run in rotating order. A
 * shortcut stays only while it saves at least {@link KEEP_SHARE} of the run a user waits for.
 */

import { SHORTCUTS } from "../offline/startup-shortcuts";
import { count } from "./lib/env";
import { atLeast, info, KEEP_SHARE, type Figure, type SectionResult } from "./lib/report";
import { runProcess } from "./lib/run-process";
import { median, round } from "./lib/stats";

const SECTION = "Offline preview start-up";

/** Times the variants; each figure is the share of the run with the shortcut off that it saves. */
export async function measureShortcuts(): Promise<SectionResult> {
  const runs = count(7, 3);
  const variants = ["", ...Object.keys(SHORTCUTS), "all"];
  const args = ["start", "--silent", "--", "--stack", "prod"];
  const time = async (off: string) =>
    runProcess("npm", args, 60_000, undefined, { NATIVE_WEB_SSO_PLAIN_START: off });
  // One untimed run each (tsx's compile cache, the bundle cache), and the outputs must not differ.
  const outputs = new Map<string, string>();
  for (const v of variants) outputs.set(v, (await time(v)).stdout);
  const differing = variants.filter((v) => outputs.get(v) !== outputs.get(""));
  if (differing.length > 0) {
    throw new Error(`npm start prints another rendering with ${differing.join(", ")} turned off`);
  }
  const walls = new Map<string, number[]>(variants.map((v) => [v, []]));
  for (let i = 0; i < runs; i++) {
    // Rotate who goes first, so a change in the machine's load hits every variant alike.
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(i + k) % variants.length];
      walls.get(v)?.push((await time(v)).wallMs);
    }
  }
  const ms = (v: string) => median(walls.get(v) ?? []);
  const figures: Figure[] = [
    info(
      SECTION,
      "npm start -- --stack prod, every shortcut on",
      round(ms("") / 1000, 2),
      "s",
      `wall, median of ${runs}`,
    ),
    info(
      SECTION,
      "npm start -- --stack prod, every shortcut off",
      round(ms("all") / 1000, 2),
      "s",
      `wall, median of ${runs}`,
    ),
  ];
  for (const name of Object.keys(SHORTCUTS)) {
    const saves = round((ms(name) - ms("")) / ms(name), 3);
    figures.push(
      atLeast(
        SECTION,
        `${name}: share of the run it saves`,
        saves,
        "",
        KEEP_SHARE,
        `${round(ms(name) / 1000, 2)} s off vs ${round(ms("") / 1000, 2)} s on, medians of ${runs} rotating runs`,
      ),
    );
  }
  return { figures, details: Object.fromEntries(walls) };
}
