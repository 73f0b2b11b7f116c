/**
 * Grouping keys to slots. Primitive keys go straight into a Map (SameValueZero, so NaN
 * groups with NaN and 0 with -0); arrays and objects group by their JSON text, as a tuple
 * key `['a', 1]` made in two places is two different objects but one group.
 */

/** Key -> dense slot number, in order of first appearance; `keys[slot]` is the original key. */
export class KeyIndex {
  readonly keys: unknown[] = [];
  private readonly primitive = new Map<unknown, number>();
  private objects: Map<string, number> | undefined;

  /** The key's slot, adding it when new (then the slot equals the previous `size`). */
  slotOf(key: unknown): number {
    if (typeof key === 'object' && key !== null) return this.objectSlot(key);
    let s = this.primitive.get(key);
    if (s === undefined) {
      s = this.keys.length;
      this.primitive.set(key, s);
      this.keys.push(key);
    }
    return s;
  }

  get size(): number {
    return this.keys.length;
  }

  private objectSlot(key: object): number {
    this.objects ??= new Map();
    const text = JSON.stringify(key);
    let s = this.objects.get(text);
    if (s === undefined) {
      s = this.keys.length;
      this.objects.set(text, s);
      this.keys.push(key);
    }
    return s;
  }
}
