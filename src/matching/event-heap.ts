/**
 * A binary min-heap of (key, item) pairs on typed arrays: the blossom solver's event
 * queues (the moment an edge becomes tight, the moment a blossom's dual reaches zero).
 * No objects per entry, so millions of pushes cost no garbage. Entries are never
 * updated in place; callers push a fresh entry and drop stale ones when they surface
 * ("lazy deletion"), which is cheaper than tracking positions.
 */
export class EventHeap {
  private keys: Float64Array;
  private items: Int32Array;
  private count = 0;

  constructor(capacity = 1024) {
    this.keys = new Float64Array(Math.max(16, capacity));
    this.items = new Int32Array(Math.max(16, capacity));
  }

  get size(): number {
    return this.count;
  }

  /** Smallest key, or Infinity when empty. */
  topKey(): number {
    return this.count === 0 ? Infinity : this.keys[0]!;
  }

  /** Item of the smallest key; only meaningful when size > 0. */
  topItem(): number {
    return this.items[0]!;
  }

  push(key: number, item: number): void {
    if (this.count === this.keys.length) this.grow();
    const keys = this.keys;
    const items = this.items;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent]!;
      if (pk < key || (pk === key && items[parent]! <= item)) break;
      keys[i] = pk;
      items[i] = items[parent]!;
      i = parent;
    }
    keys[i] = key;
    items[i] = item;
  }

  /** Removes the smallest entry. Ties break by item so the order is deterministic. */
  pop(): void {
    const last = --this.count;
    if (last <= 0) return;
    const keys = this.keys;
    const items = this.items;
    const key = keys[last]!;
    const item = items[last]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      const right = child + 1;
      if (right < last && (keys[right]! < keys[child]! || (keys[right] === keys[child] && items[right]! < items[child]!))) child = right;
      const ck = keys[child]!;
      if (key < ck || (key === ck && item <= items[child]!)) break;
      keys[i] = ck;
      items[i] = items[child]!;
      i = child;
    }
    keys[i] = key;
    items[i] = item;
  }

  clear(): void {
    this.count = 0;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    const items = new Int32Array(this.items.length * 2);
    items.set(this.items);
    this.keys = keys;
    this.items = items;
  }
}
