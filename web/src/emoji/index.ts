// Emoji short codes (JoyPixels names, as Rocket.Chat uses them). The table
// is a separate chunk, loaded the first time a view needs it, so that it
// costs nothing at start.
import { Store } from '../state/store';

export interface EmojiEntry {
  names: string[];
  unicode: string;
}

interface Table {
  byName: Map<string, string>;
  categories: { name: string; list: EmojiEntry[] }[];
}

let table: Table | null = null;
let loading: Promise<void> | null = null;

/** emojiVersion changes when the table has loaded, so views re-render. */
export const emojiVersion = new Store(0);

export function loadEmoji(): Promise<void> {
  if (!loading) {
    loading = import('./data.gen').then(({ categories }) => {
      const byName = new Map<string, string>();
      const cats = categories.map(([name, data]) => ({
        name,
        list: data.split(';').map((e) => {
          const [names, unicode] = e.split('=');
          const entry = { names: names.split(','), unicode };
          for (const n of entry.names) byName.set(n, unicode);
          return entry;
        }),
      }));
      table = { byName, categories: cats };
      emojiVersion.set((v) => v + 1);
    });
  }
  return loading;
}

/** emojiFor returns the unicode of a short code (without colons), or undefined. */
export function emojiFor(code: string): string | undefined {
  if (!table) {
    void loadEmoji();
    return undefined;
  }
  return table.byName.get(code);
}

/** searchEmoji lists up to n short codes that start with (then contain) the text. */
export function searchEmoji(text: string, n = 8): EmojiEntry[] {
  if (!table) {
    void loadEmoji();
    return [];
  }
  const q = text.toLowerCase();
  const starts: EmojiEntry[] = [];
  const contains: EmojiEntry[] = [];
  for (const c of table.categories)
    for (const e of c.list) {
      if (e.names.some((x) => x.startsWith(q))) starts.push(e);
      else if (e.names.some((x) => x.includes(q))) contains.push(e);
      if (starts.length >= n) return starts;
    }
  return [...starts, ...contains].slice(0, n);
}

export function emojiCategories(): Table['categories'] {
  if (!table) void loadEmoji();
  return table?.categories ?? [];
}

/** reactionText shows a reaction key (":smile:") as its emoji when known. */
export function reactionText(key: string): string {
  return emojiFor(key.replace(/^:|:$/g, '')) ?? key;
}
