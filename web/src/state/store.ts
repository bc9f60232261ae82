// A minimal observable value and a hook that re-renders a component when
// the part of it the component reads changes.
import { useEffect, useReducer, useRef } from 'preact/hooks';

export class Store<T> {
  private listeners = new Set<(v: T) => void>();
  constructor(private value: T) {}

  get(): T {
    return this.value;
  }

  set(v: T | ((old: T) => T)): void {
    const next = typeof v === 'function' ? (v as (old: T) => T)(this.value) : v;
    if (Object.is(next, this.value)) return;
    this.value = next;
    for (const l of this.listeners) l(next);
  }

  subscribe(l: (v: T) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

/** useStore returns select(store value) and re-renders when it changes. */
export function useStore<T, S = T>(store: Store<T>, select: (v: T) => S = (v) => v as unknown as S): S {
  const [, force] = useReducer((n: number) => n + 1, 0);
  const sel = useRef(select);
  sel.current = select;
  const last = useRef<S>(select(store.get()));
  last.current = select(store.get());
  useEffect(() => {
    const check = (v: T) => {
      const next = sel.current(v);
      if (!Object.is(next, last.current)) {
        last.current = next;
        force(0);
      }
    };
    const unsubscribe = store.subscribe(check);
    // Effects run after paint: a change made between the render and this
    // subscription (the session leaving its boot phase, say) reached no
    // listener, so look once more now.
    check(store.get());
    return unsubscribe;
  }, [store]);
  return last.current;
}

/** mapSet returns a copy of m with k set to v. */
export function mapSet<K, V>(m: Map<K, V>, k: K, v: V): Map<K, V> {
  const n = new Map(m);
  n.set(k, v);
  return n;
}

/** mapDelete returns a copy of m without k. */
export function mapDelete<K, V>(m: Map<K, V>, k: K): Map<K, V> {
  if (!m.has(k)) return m;
  const n = new Map(m);
  n.delete(k);
  return n;
}
