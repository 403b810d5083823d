/**
 * An ordered collection with lookup by name (Falco's indexed_vector).
 * @module
 */

/** Items in insertion order, addressable by name. */
export class Indexed<T extends { name: string }> implements Iterable<T> {
  private readonly order: T[] = [];
  private readonly byName = new Map<string, T>();

  /** The item with this name, if any. */
  get(name: string): T | undefined {
    return this.byName.get(name);
  }

  /** Appends a new item (the name must not be present). */
  add(item: T): void {
    this.order.push(item);
    this.byName.set(item.name, item);
  }

  /** Replaces the item with the same name in place, keeping its position. */
  replace(item: T): void {
    const prev = this.byName.get(item.name);
    if (!prev) return this.add(item);
    this.order[this.order.indexOf(prev)] = item;
    this.byName.set(item.name, item);
  }

  /** Number of items. */
  get size(): number {
    return this.order.length;
  }

  [Symbol.iterator](): Iterator<T> {
    return this.order[Symbol.iterator]();
  }
}
