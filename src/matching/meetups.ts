/**
 * Meetup breakout rooms (issue 14, finding 2). A different promise from rounds:
 * everyone who said Going gets a room.
 *
 * - Rooms are of the chosen size with the remainder spread: every room has between
 *   size−1 and size+1 people (never a room of one, never more than size+1); only when
 *   no split fits those bounds (e.g. 7 going with size 5: 4+3) is a room smaller.
 * - Blocks are hard: two people with a block between them never share a room.
 * - The rematch window is only a preference here: a pair that met recently scores a
 *   large bonus less than a new pair, so new faces come first, but nobody is left
 *   out for it.
 * - Somebody is left unseated only by blocks; the host is told who and why, and every
 *   reason is a checkable fact about the rooms made (meetupReasons in explain.ts).
 *
 * How: exact best pairs (maximum weight, most pairs) seed the rooms, the rest fill the
 * rooms' exact target sizes by gain; a seeded min-conflicts search then moves and swaps
 * people until no room holds a blocked pair, and swaps raise the score while every
 * room stays block-free and its size unchanged.
 */
import { maxWeightMatching } from './blossom.ts';
import { MEETUP_UNPLACED } from './explain.ts';
import { describeGroups } from './pairs.ts';
import { mulberry32 } from './rng.ts';
import { integerWeight, pairScoreFast, type Prepared } from './score.ts';
import type { RoundResult } from './types.ts';

/** Weight units (score × 100) a new pair gets over one that met inside the rematch window: more than any pair scores. */
const NEW_FACES_BONUS = 2_000;
/** Exact seeding pairs come from the full graph up to this many going (n² pair scores). */
const EXACT_SEED_LIMIT = 600;
/** Swap search is quadratic in rooms × people; beyond this many people the greedy seating stands. */
const SWAP_LIMIT = 1500;
const SWAP_PASSES = 4;
const WEIGHT_CACHE_LIMIT = 2000;

/**
 * Room sizes for `m` people at chosen size `size`: sizes differ by at most one, each
 * between max(2, size−1) and size+1 when any split allows it; otherwise the fewest rooms
 * of at most size+1 (sizes still differ by at most one, and no room of one when m ≥ 2).
 */
export function roomSizes(m: number, size: number): number[] {
  if (m < 2) return [];
  const minSize = Math.max(2, size - 1);
  const maxSize = size + 1;
  const fewest = Math.ceil(m / maxSize);
  const most = Math.floor(m / minSize);
  const rooms = fewest <= most ? Math.min(most, Math.max(fewest, Math.round(m / size))) : fewest;
  const base = Math.floor(m / rooms);
  const extra = m % rooms;
  return Array.from({ length: rooms }, (_, i) => base + (i < extra ? 1 : 0));
}

export function meetupRooms(p: Prepared, eligible: Int32Array, unplacedIn: RoundResult['unplaced'], size: number, seed: number): RoundResult {
  const unplaced = [...unplacedIn];
  const c = p.constraints;
  const blocked = (x: number, y: number): boolean => x !== y && c.blocked.has(x < y ? x * c.n + y : y * c.n + x);
  const recent = (x: number, y: number): boolean => {
    const met = c.lastMet.get(x < y ? x * c.n + y : y * c.n + x);
    return met !== undefined && met > c.windowStartMs;
  };
  // Pair weights are asked for many times (filling, swaps): cached in a square table up to
  // WEIGHT_CACHE_LIMIT going (16 MB at 2,000), scored each time beyond.
  const local = new Int32Array(p.members.length).fill(-1);
  eligible.forEach((x, i) => (local[x] = i));
  const cache = eligible.length <= WEIGHT_CACHE_LIMIT ? new Int32Array(eligible.length * eligible.length).fill(-1) : null;
  const scoreOf = (x: number, y: number): number =>
    integerWeight(x < y ? pairScoreFast(p, x, y) : pairScoreFast(p, y, x)) + (recent(x, y) ? 0 : NEW_FACES_BONUS);
  const weight = (x: number, y: number): number => {
    if (cache === null) return scoreOf(x, y);
    const k = local[x]! * eligible.length + local[y]!;
    let w = cache[k]!;
    if (w < 0) cache[k] = cache[local[y]! * eligible.length + local[x]!] = w = scoreOf(x, y);
    return w;
  };
  const name = (x: number): string => p.members[x]!.displayName;

  const going = Array.from(eligible);
  if (going.length === 1) unplaced.push({ memberId: p.members[going[0]!]!.id, reason: MEETUP_UNPLACED.alone });
  if (going.length <= 1) return { groups: [], unplaced, totalScore: 0, seed };

  // Blocked with everyone else going: no room can ever hold them.
  const seatable: number[] = [];
  for (const x of going) {
    if (going.every((y) => y === x || blocked(x, y))) {
      unplaced.push({ memberId: p.members[x]!.id, reason: MEETUP_UNPLACED.blockedWithEveryone(going.filter((y) => y !== x).sort((a, b) => a - b).map(name)) });
    } else seatable.push(x);
  }
  const rand = mulberry32(seed ^ 0x2545f491);
  const targets = roomSizes(seatable.length, size);
  const rooms: number[][] = targets.map(() => []);
  const where = new Map<number, number>();

  // 1. Exact best pairs (most pairs, then largest weight) among the seatable: the strongest bonds.
  const n = seatable.length;
  const pairs: [number, number][] = [];
  if (n <= EXACT_SEED_LIMIT) {
    const u: number[] = [];
    const v: number[] = [];
    const w: number[] = [];
    for (let a = 0; a < n; a++)
      for (let b = a + 1; b < n; b++) {
        if (blocked(seatable[a]!, seatable[b]!)) continue;
        u.push(a);
        v.push(b);
        w.push(weight(seatable[a]!, seatable[b]!));
      }
    const mate = maxWeightMatching({ n, u: Int32Array.from(u), v: Int32Array.from(v), w: Int32Array.from(w) }, true);
    for (let a = 0; a < n; a++) if (mate[a]! > a) pairs.push([seatable[a]!, seatable[mate[a]!]!]);
    pairs.sort((x, y) => weight(y[0], y[1]) - weight(x[0], x[1]));
  }
  const paired = new Set(pairs.flat());
  const units: number[][] = [...pairs.map((pr) => [...pr]), ...seatable.filter((x) => !paired.has(x)).map((x) => [x])];

  // 2. Fill the rooms' exact target sizes by gain; a unit that fits nowhere whole goes in
  //    person by person, and as a last step anywhere with space (the search repairs that).
  const conflictsIn = (room: number[], x: number, skip = -1): number => {
    let k = 0;
    for (const y of room) if (y !== skip && blocked(x, y)) k++;
    return k;
  };
  const put = (x: number, r: number): void => {
    rooms[r]!.push(x);
    where.set(x, r);
  };
  const bestRoom = (unit: number[], strict: boolean): number => {
    let best = -1;
    let bestGain = -Infinity;
    for (let r = 0; r < rooms.length; r++) {
      const room = rooms[r]!;
      if (room.length + unit.length > targets[r]!) continue;
      let conflicts = 0;
      let gain = 0;
      for (const x of unit) {
        conflicts += conflictsIn(room, x);
        for (const y of room) gain += weight(x, y);
      }
      if (strict && conflicts > 0) continue;
      // Empty rooms first for the strongest pairs, so rooms start from good bonds.
      const score = -conflicts * 1e9 + (room.length === 0 ? 1e6 : 0) + gain;
      if (score > bestGain) {
        bestGain = score;
        best = r;
      }
    }
    return best;
  };
  const pending: number[] = [];
  for (const unit of units) {
    const r = bestRoom(unit, true);
    if (r >= 0) for (const x of unit) put(x, r);
    else pending.push(...unit);
  }
  for (const x of pending) {
    const r = bestRoom([x], true);
    put(x, r >= 0 ? r : bestRoom([x], false));
  }

  // 3. Min-conflicts search: move or swap people out of rooms where they have a block.
  repairBlocks(rooms, where, targets, size, blocked, conflictsIn, rand);

  // 4. Whoever still shares a room with a block leaves it (most blocks first), then takes
  //    any block-free room with space; a room left with one person gives them the same chance.
  const hi = size + 1;
  const out: number[] = [];
  for (const room of rooms) {
    for (;;) {
      let worst = -1;
      let worstK = 0;
      for (let i = 0; i < room.length; i++) {
        const k = conflictsIn(room, room[i]!);
        if (k > worstK) {
          worstK = k;
          worst = i;
        }
      }
      if (worst < 0) break;
      out.push(room.splice(worst, 1)[0]!);
    }
  }
  const reseat = (x: number, not: number[] | null = null): boolean => {
    let best = -1;
    let bestGain = -Infinity;
    for (let r = 0; r < rooms.length; r++) {
      const room = rooms[r]!;
      if (room === not || room.length === 0 || room.length >= hi || conflictsIn(room, x) > 0) continue;
      let gain = 0;
      for (const y of room) gain += weight(x, y);
      if (gain > bestGain) {
        bestGain = gain;
        best = r;
      }
    }
    if (best < 0) return false;
    rooms[best]!.push(x);
    return true;
  };
  let finalRooms = rooms.filter((r) => r.length >= 2);
  let left = [...out, ...rooms.filter((r) => r.length === 1).map((r) => r[0]!)];
  // Seats who is left: any block-free room with space; two left who may meet make a room.
  const seatLeft = (): void => {
    left = left.filter((x) => !reseat(x));
    const still: number[] = [];
    while (left.length > 0) {
      const x = left.shift()!;
      const j = left.findIndex((y) => !blocked(x, y));
      if (j >= 0) finalRooms.push([x, left.splice(j, 1)[0]!]);
      else if (!swapIn(x) && !pull(x) && !pullTwo(x)) still.push(x);
    }
    left = still;
  };
  // x takes the place of the one person z they have a block with in a room, if z then has a seat elsewhere.
  const swapIn = (x: number): boolean => {
    for (const room of rooms) {
      const withX = room.filter((y) => blocked(x, y));
      if (withX.length !== 1) continue;
      const z = withX[0]!;
      const at = room.indexOf(z);
      room[at] = x;
      if (reseat(z, room)) return true;
      room[at] = z;
    }
    return false;
  };
  // x and two people who may all meet each other, from rooms that keep two or more, make a room of three.
  const pullTwo = (x: number): boolean => {
    const roomOf = new Map<number, number[]>();
    for (const room of rooms) for (const y of room) if (!blocked(x, y)) roomOf.set(y, room);
    const ys = [...roomOf.keys()];
    for (let i = 0; i < ys.length; i++) {
      for (let j = i + 1; j < ys.length; j++) {
        const y = ys[i]!;
        const z = ys[j]!;
        if (blocked(y, z)) continue;
        const Ry = roomOf.get(y)!;
        const Rz = roomOf.get(z)!;
        if (Ry === Rz ? Ry.length < 4 : Ry.length < 3 || Rz.length < 3) continue;
        Ry.splice(Ry.indexOf(y), 1);
        Rz.splice(Rz.indexOf(z), 1);
        rooms.push([x, y, z]);
        return true;
      }
    }
    return false;
  };
  // x and someone they may meet from a room of three or more make a new room of two.
  const pull = (x: number): boolean => {
    let best: [number[], number] | null = null;
    for (const room of rooms) {
      if (room.length < 3) continue;
      for (const y of room) if (!blocked(x, y) && (best === null || weight(x, y) > weight(x, best[1]))) best = [room, y];
    }
    if (best === null) return false;
    best[0].splice(best[0].indexOf(best[1]), 1);
    rooms.push([x, best[1]]);
    return true;
  };
  // reseat() looks at `rooms`; from here on that is the final list.
  rooms.length = 0;
  rooms.push(...finalRooms);
  finalRooms = rooms;

  const seatLeftUntilStuck = (): void => {
    for (let before = Infinity; left.length > 0 && left.length < before; ) {
      before = left.length;
      seatLeft();
    }
  };
  // Rooms below the lower bound (after blocks forced people out, or a new room of two) take
  // people from rooms above it who have no block there; a room that still cannot be filled
  // is dissolved when everyone in it has another block-free room with space.
  const lo = targets.length === 0 ? 2 : Math.max(2, Math.min(Math.min(...targets), size - 1));
  const rebalance = (): void => {
    for (const R of rooms) {
      while (R.length > 0 && R.length < lo) {
        let moved = false;
        for (const S of rooms) {
          // From a room above the bound, or (when no split reaches the bound) one at least two bigger: spread evenly.
          if (S === R || (S.length <= lo && S.length < R.length + 2)) continue;
          const y = S.find((yy) => R.every((z) => !blocked(yy, z)));
          if (y === undefined) continue;
          S.splice(S.indexOf(y), 1);
          R.push(y);
          moved = true;
          break;
        }
        if (!moved) break;
      }
    }
    for (let i = rooms.length - 1; i >= 0; i--) {
      const R = rooms[i]!;
      if (R.length === 0 || R.length >= lo) continue;
      rooms.splice(i, 1);
      const placed: number[] = [];
      for (const x of R) {
        if (!reseat(x)) break;
        placed.push(x);
      }
      if (placed.length === R.length) continue;
      for (const x of placed) {
        const room = rooms.find((r) => r.includes(x))!;
        room.splice(room.indexOf(x), 1);
      }
      rooms.splice(i, 0, R);
    }
  };

  // 5. Sizes back into bounds, then swaps between rooms while they raise the total, keep every
  //    room block-free and keep sizes; anyone still out gets another chance in the rooms as they now are.
  seatLeftUntilStuck();
  rebalance();
  if (n <= SWAP_LIMIT) improveBySwaps(finalRooms, weight, blocked);
  seatLeftUntilStuck();
  rebalance();
  seatLeftUntilStuck();

  // 6. If that left anyone out, a seating built the other way round may seat more: every
  //    pair of the maximum matching (the most pairs blocks allow) as a room, the rest joining
  //    a pair they have no block with, then rooms too small merged while no block crosses.
  //    Whichever seats more people stands.
  if (left.length > 0 && n <= EXACT_SEED_LIMIT) {
    const alt: number[][] = pairs.map(([a, b]) => [a, b]);
    let altLeft: number[] = [];
    for (const x of seatable) {
      if (paired.has(x)) continue;
      let best: number[] | null = null;
      for (const room of alt) if (room.length < hi && room.every((y) => !blocked(x, y)) && (best === null || room.length < best.length)) best = room;
      if (best) best.push(x);
      else altLeft.push(x);
    }
    for (let merged = true; merged; ) {
      merged = false;
      alt.sort((a, b) => a.length - b.length);
      for (let i = 0; i < alt.length && !merged; i++) {
        if (alt[i]!.length >= lo) break;
        for (let j = i + 1; j < alt.length && !merged; j++) {
          const A = alt[i]!;
          const B = alt[j]!;
          if (A.length + B.length > hi || A.some((x) => B.some((y) => blocked(x, y)))) continue;
          A.push(...B);
          alt.splice(j, 1);
          merged = true;
        }
      }
    }
    const before = { rooms: rooms.map((r) => [...r]), left: [...left] };
    rooms.length = 0;
    rooms.push(...alt);
    left = altLeft;
    altLeft = [];
    seatLeftUntilStuck();
    rebalance();
    if (n <= SWAP_LIMIT) improveBySwaps(finalRooms, weight, blocked);
    seatLeftUntilStuck();
    if (left.length >= before.left.length) {
      rooms.length = 0;
      rooms.push(...before.rooms);
      left = before.left;
    }
  }

  // Every reason is a fact about the rooms made: each room has someone they have a block with, or is full.
  for (const x of left) {
    unplaced.push({
      memberId: p.members[x]!.id,
      reason: MEETUP_UNPLACED.noRoomWithoutBlock(
        finalRooms.map((room) => {
          const with_ = room.filter((y) => blocked(x, y));
          return with_.length > 0 ? { blockedWith: with_.map(name) } : { full: room.length };
        }),
      ),
    });
  }
  const described = describeGroups(p, finalRooms);
  return { groups: described.groups, unplaced, totalScore: described.totalScore, seed };
}

function repairBlocks(
  rooms: number[][],
  where: Map<number, number>,
  targets: number[],
  size: number,
  blocked: (x: number, y: number) => boolean,
  conflictsIn: (room: number[], x: number, skip?: number) => number,
  rand: () => number,
): void {
  const minTarget = Math.min(...targets);
  const lo = Math.max(2, Math.min(minTarget, size - 1));
  const hi = size + 1;
  const people = rooms.flat();
  const budget = 200 + 10 * people.length;
  for (let step = 0; step < budget; step++) {
    const conflicted = people.filter((x) => conflictsIn(rooms[where.get(x)!]!, x) > 0);
    if (conflicted.length === 0) return;
    const x = conflicted[Math.floor(rand() * conflicted.length)]!;
    const rx = where.get(x)!;
    const A = rooms[rx]!;
    // A move to a room where x has no block, sizes staying in bounds.
    let moved = false;
    if (A.length > lo) {
      for (let r = 0; r < rooms.length && !moved; r++) {
        const B = rooms[r]!;
        if (r === rx || B.length >= hi || conflictsIn(B, x) > 0) continue;
        A.splice(A.indexOf(x), 1);
        B.push(x);
        where.set(x, r);
        moved = true;
      }
    }
    if (moved) continue;
    // A swap that leaves both x and y block-free in their new rooms; else, now and then,
    // a swap that does not add blocks (to walk out of a dead end).
    let best: [number, number] | null = null;
    let bestDelta = Infinity;
    const before = conflictsIn(A, x);
    for (let r = 0; r < rooms.length; r++) {
      if (r === rx) continue;
      const B = rooms[r]!;
      for (const y of B) {
        const delta = conflictsIn(B, x, y) + conflictsIn(A, y, x) - before - conflictsIn(B, y);
        if (delta < bestDelta || (delta === bestDelta && rand() < 0.3)) {
          bestDelta = delta;
          best = [r, y];
        }
      }
    }
    if (best === null) return;
    if (bestDelta < 0 || (bestDelta === 0 && rand() < 0.5) || rand() < 0.05) {
      const [r, y] = best;
      const B = rooms[r]!;
      A[A.indexOf(x)] = y;
      B[B.indexOf(y)] = x;
      where.set(x, r);
      where.set(y, rx);
    }
  }
}

/** Swaps two people between rooms while that raises the total weight and keeps every room block-free. */
function improveBySwaps(rooms: number[][], weight: (x: number, y: number) => number, blocked: (x: number, y: number) => boolean): void {
  const contribution = (g: number[], x: number, skip: number): number => {
    let s = 0;
    for (const y of g) if (y !== x && y !== skip) s += weight(x, y);
    return s;
  };
  const fits = (g: number[], x: number, skip: number): boolean => g.every((y) => y === skip || !blocked(x, y));
  for (let pass = 0; pass < SWAP_PASSES; pass++) {
    let improved = false;
    for (let gi = 0; gi < rooms.length; gi++) {
      for (let gj = gi + 1; gj < rooms.length; gj++) {
        const A = rooms[gi]!;
        const B = rooms[gj]!;
        for (let ia = 0; ia < A.length; ia++) {
          for (let ib = 0; ib < B.length; ib++) {
            const x = A[ia]!;
            const y = B[ib]!;
            if (!fits(B, x, y) || !fits(A, y, x)) continue;
            const before = contribution(A, x, -1) + contribution(B, y, -1);
            const after = contribution(B, x, y) + contribution(A, y, x);
            if (after > before) {
              A[ia] = y;
              B[ib] = x;
              improved = true;
            }
          }
        }
      }
    }
    if (!improved) break;
  }
}
