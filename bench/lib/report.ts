/** The benchmark's figures, their targets, and the table printed on stdout. */

/** One measured figure. */
export interface Figure {
  /** Measurement group, e.g. "Warm Lambda". */
  section: string;
  /** What was measured, e.g. "p50 per invocation". */
  name: string;
  value: number | string;
  unit: string;
  /** The target in words, e.g. "< 0.5 ms"; absent when the figure is informative only. */
  target?: string;
  /** Whether the target is met; absent when there is no target. */
  met?: boolean;
  /** Ratios and how the figure was obtained. */
  note?: string;
  /** The gap to a numeric target when it is missed, e.g. "+0.05 ms". */
  gap?: string;
}

/** A measurement that could not run. */
export interface Failure {
  section: string;
  error: string;
}

/** What one measurement module returns: its figures and any raw details for results.json. */
export interface SectionResult {
  figures: Figure[];
  details?: Record<string, unknown>;
}

/** A figure with an upper-bound target: met when `value < limit`. */
export function below(
  section: string,
  name: string,
  value: number,
  unit: string,
  limit: number,
  note?: string,
): Figure {
  const met = value < limit;
  const gap = met ? undefined : `+${formatNumber(value - limit)} ${unit}`.trim();
  return { section, name, value, unit, target: `< ${limit} ${unit}`.trim(), met, note, gap };
}

/** A figure with an inclusive upper bound (a ratio to a same-run yardstick): met when `value <= limit`. */
export function atMost(
  section: string,
  name: string,
  value: number,
  unit: string,
  limit: number,
  note?: string,
): Figure {
  const met = value <= limit;
  const gap = met ? undefined : `+${formatNumber(value - limit)} ${unit}`.trim();
  return { section, name, value, unit, target: `<= ${formatNumber(limit)} ${unit}`.trim(), met, note, gap };
}

/**
 * The least share of what a user feels (a login's CPU, the wall time of `npm start`) a hand-made
 * shortcut must save, measured side by side with what it replaces, to stay.
 */
export const KEEP_SHARE = 0.05;

/** A figure with a lower-bound target: met when `value >= limit`. */
export function atLeast(
  section: string,
  name: string,
  value: number,
  unit: string,
  limit: number,
  note?: string,
): Figure {
  const met = value >= limit;
  const gap = met ? undefined : `-${formatNumber(limit - value)} ${unit}`.trim();
  return { section, name, value, unit, target: `>= ${limit} ${unit}`.trim(), met, note, gap };
}

/** A figure without a target. */
export function info(
  section: string,
  name: string,
  value: number | string,
  unit: string,
  note?: string,
): Figure {
  return { section, name, value, unit, note };
}

function formatValue(f: Figure): string {
  const v = typeof f.value === "number" ? formatNumber(f.value) : f.value;
  return f.unit ? `${v} ${f.unit}` : v;
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString("en-US");
  const abs = Math.abs(n);
  return abs >= 100 ? n.toFixed(0) : abs >= 10 ? n.toFixed(1) : abs >= 1 ? n.toFixed(2) : n.toFixed(3);
}

/** Renders the figures (and failures) as a fixed-width table. */
export function formatTable(figures: readonly Figure[], failures: readonly Failure[]): string {
  const header = ["measurement", "value", "target", "met?", "note"];
  const rows = figures.map((f) => [
    `${f.section}: ${f.name}`,
    formatValue(f),
    f.target ?? "-",
    f.met === undefined ? "-" : f.met ? "yes" : f.gap ? `NO (${f.gap})` : "NO",
    f.note ?? "",
  ]);
  for (const failure of failures) rows.push([`${failure.section}`, "FAILED", "-", "NO", failure.error]);
  const widths = header.map((h, i) =>
    i === header.length - 1 ? 0 : Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join(" | ")
      .trimEnd();
  const rule = widths.map((w, i) => "-".repeat(i === widths.length - 1 ? 4 : w)).join("-+-");
  return [line(header), rule, ...rows.map(line)].join("\n");
}

/** A figure whose target is a fact, e.g. "identical" or "no". */
export function expect(
  section: string,
  name: string,
  value: string,
  target: string,
  met: boolean,
  note?: string,
): Figure {
  return { section, name, value, unit: "", target, met, note };
}
