import { DAY, HOUR, MINUTE, WEEK } from './time.ts';

/** Time is injected so flows, timers and the console replay are deterministic. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that can be moved forward: `:advance` on the console and tests. Frozen
 * at `start` when given (replays), otherwise real time plus whatever was advanced.
 */
export class ManualClock implements Clock {
  private offset = 0;

  constructor(private readonly start: Date | null = null) {}

  now(): Date {
    return new Date((this.start ? this.start.getTime() : Date.now()) + this.offset);
  }

  advance(ms: number): Date {
    this.offset += ms;
    return this.now();
  }

  /** Moves forward to `to`; never backwards. */
  advanceTo(to: Date): Date {
    const delta = to.getTime() - this.now().getTime();
    if (delta > 0) this.offset += delta;
    return this.now();
  }
}

const UNITS: Record<string, number> = { m: MINUTE, min: MINUTE, h: HOUR, d: DAY, w: WEEK };

/** Parses "90m", "2h", "3d", "2w" into milliseconds; null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const match = /^(\d{1,4})\s*(m|min|h|d|w)$/i.exec(text.trim());
  if (!match) return null;
  const unit = UNITS[match[2]!.toLowerCase()]!;
  return Number(match[1]) * unit;
}
