// One socket's samples over the last minutes, as the columns a chart draws.
// The shim sends nothing for a quiet interval: a gap reads as zero traffic,
// so zero samples are put at both of its ends.
import { SAMPLE_FIELDS, SAMPLE_MS, type SampleField, type WireSample } from '../../shim/wire/records';

/** How far back a series goes. */
export const SERIES_MS = 5 * 60_000;
/** Trimmed in steps, not per sample: cutting the front of arrays costs their length. */
const TRIM_SLACK_MS = 30_000;

export type Columns = Record<SampleField, number[]>;

export class SampleSeries {
  readonly columns: Columns = Object.fromEntries(SAMPLE_FIELDS.map((field) => [field, []])) as unknown as Columns;

  get length(): number {
    return this.columns.time.length;
  }

  /** The newest value of a field, 0 if there is none. */
  latest(field: SampleField): number {
    return this.columns[field].at(-1) ?? 0;
  }

  push(wire: WireSample): void {
    const time = wire[1];
    const start = time - wire[2];
    const last = this.columns.time.at(-1);
    if (last !== undefined && start - last > SAMPLE_MS / 2) {
      this.pushZero(last + SAMPLE_MS);
      if (start > last + SAMPLE_MS) this.pushZero(start);
    }
    SAMPLE_FIELDS.forEach((field, i) => this.columns[field].push(wire[i + 1]));
    this.trim(time);
  }

  private pushZero(time: number): void {
    for (const field of SAMPLE_FIELDS) this.columns[field].push(0);
    this.columns.time[this.columns.time.length - 1] = time;
    this.columns.intervalMs[this.columns.intervalMs.length - 1] = SAMPLE_MS;
  }

  private trim(newest: number): void {
    const times = this.columns.time;
    if (times[0] >= newest - SERIES_MS - TRIM_SLACK_MS) return;
    let cut = 0;
    while (cut < times.length && times[cut] < newest - SERIES_MS) cut++;
    for (const field of SAMPLE_FIELDS) this.columns[field].splice(0, cut);
  }
}
