/**
 * The reader's app, as the docs snippets imagine it: a database `db` and a `metrics` client.
 * Snippets use these two names without declaring them (they stand for the reader's own code);
 * everything else a snippet uses, tagcache imports included, is written in the snippet.
 *
 * For the type-check this file is part of the snippets' program (its `declare global`); for
 * running, the docs test imports it, which installs the in-memory implementations on globalThis.
 * Keep it small: add a method only when a snippet needs it, and keep the data deterministic.
 */

export interface User {
  id: number;
  name: string;
  email: string;
  teamId: number;
  createdAt: Date;
}
export interface Post {
  id: number;
  authorId: number;
  title: string;
}
export interface OrderItem {
  product: { id: string };
  quantity: number;
}

const users = new Map<number, User>(
  [1, 2, 7, 42].map((id) => [
    id,
    {
      id,
      name: `user ${id}`,
      email: `user${id}@example.com`,
      teamId: id % 2,
      createdAt: new Date(Date.UTC(2024, 0, id)),
    },
  ]),
);
const posts: Post[] = [
  { id: 10, authorId: 1, title: 'Notes on the Analytical Engine' },
  { id: 11, authorId: 1, title: 'On Bernoulli numbers' },
  { id: 42, authorId: 2, title: 'Compilers for everyone' },
];

/** Copies a row (not structuredClone: under jest it makes Dates of another realm). */
const copyUser = (u: User): User => ({ ...u, createdAt: new Date(u.createdAt) });

/** A tiny in-memory database with the calls the docs make. */
export const appDb = {
  users: {
    async find(id: number): Promise<User | undefined> {
      const user = users.get(id);
      return user && copyUser(user);
    },
    /** The users with these ids that exist, in id order (one query: `WHERE id IN (…)`). */
    async findMany(ids: readonly number[]): Promise<User[]> {
      return [...new Set(ids)]
        .sort((a, b) => a - b)
        .flatMap((id) => {
          const user = users.get(id);
          return user ? [copyUser(user)] : [];
        });
    },
    async byEmail(email: string, _opts?: { trace?: () => void }): Promise<User | undefined> {
      const user = [...users.values()].find((u) => u.email === email.toLowerCase());
      return user && copyUser(user);
    },
    async update(id: number, patch: Partial<Omit<User, 'id'>>): Promise<User> {
      const user = users.get(id);
      if (!user) throw new Error(`no user ${id}`);
      const next = { ...user, ...patch };
      users.set(id, next);
      return copyUser(next);
    },
  },
  posts: {
    async byAuthor(authorId: number): Promise<Post[]> {
      return posts.filter((p) => p.authorId === authorId).map((p) => ({ ...p }));
    },
    async search(q: { text: string; page: number }): Promise<Post[]> {
      return posts
        .filter((p) => p.title.toLowerCase().includes(q.text.toLowerCase()))
        .slice((q.page - 1) * 10, q.page * 10);
    },
  },
  /** The items of an order. */
  async items(orderId: string): Promise<OrderItem[]> {
    return [
      { product: { id: 'p1' }, quantity: orderId.length },
      { product: { id: 'p2' }, quantity: 1 },
    ];
  },
};

/** A metrics client that counts. */
export const appMetrics = {
  counts: new Map<string, number>(),
  count(name: string): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  },
};

declare global {
  /** The reader's database (docs snippets). */
  var db: typeof appDb;
  /** The reader's metrics client (docs snippets). */
  var metrics: typeof appMetrics;
}

globalThis.db = appDb;
globalThis.metrics = appMetrics;
