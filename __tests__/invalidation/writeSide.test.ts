import {
  createCache,
  withCache,
  withInvalidation,
  resource,
  entity,
  entityTag,
  memoryStore,
} from '../../lib/index.js';

describe('withInvalidation', () => {
  it('invalidates after the write succeeds, by arguments, result and entities, and re-warms reads', async () => {
    const cache = createCache({ store: memoryStore(), logger: false });
    const db = new Map<number, { id: number; name: string; teamId: number }>([
      [1, { id: 1, name: 'Ada', teamId: 9 }],
    ]);
    let reads = 0;
    const getUser = withCache(
      async function getUser(id: number) {
        reads += 1;
        return { ...db.get(id)! };
      },
      { cache, entities: entity('user') },
    );
    const getTeam = withCache(
      async function getTeam(teamId: number) {
        reads += 1;
        return { teamId, members: [...db.values()].filter((u) => u.teamId === teamId).map((u) => u.name) };
      },
      { cache, tags: (t) => [`team:${t}`] },
    );
    const rename = withInvalidation(
      async (id: number, name: string) => {
        const u = { ...db.get(id)!, name };
        db.set(id, u);
        return u;
      },
      {
        cache,
        tags: (id) => [entityTag('user', id)],
        resultTags: (u) => [`team:${u.teamId}`],
        recache: [{ read: getUser, args: (u) => [u.id] }],
      },
    );
    await getUser(1);
    await getTeam(9);
    expect(reads).toBe(2);
    await rename(1, 'Grace');
    expect(reads).toBe(3); // getUser re-warmed
    expect(await getUser(1)).toMatchObject({ name: 'Grace' });
    expect(reads).toBe(3);
    expect(await getTeam(9)).toEqual({ teamId: 9, members: ['Grace'] });
    expect(reads).toBe(4);
  });

  it('invalidates before the write with when: before, and nothing after a failed write', async () => {
    const cache = createCache({ store: memoryStore(), logger: false });
    let reads = 0;
    const read = withCache(
      async function read() {
        reads += 1;
        return reads;
      },
      { cache, tags: ['x'] },
    );
    const failing = withInvalidation(
      async () => {
        throw new Error('write failed');
      },
      { cache, tags: ['x'] },
    );
    const before = withInvalidation(
      async () => {
        expect(await read.peek()).toBeUndefined();
        return 'done';
      },
      { cache, tags: ['x'], when: 'before' },
    );
    await read();
    await expect(failing()).rejects.toThrow('write failed');
    expect(await read.peek()).toBe(1);
    expect(await before()).toBe('done');
  });
});

describe('resource', () => {
  it('read caches and tags type:id from the argument object; write invalidates it', async () => {
    const cache = createCache({ store: memoryStore(), logger: false });
    const profiles = new Map<number, string>([
      [1, 'a'],
      [2, 'b'],
    ]);
    let reads = 0;
    const user = resource('user', { id: 'userId', cache });
    const getProfile = user.read(async function getProfile({ userId }: { userId: number }) {
      reads += 1;
      return profiles.get(userId);
    });
    const updateProfile = user.write(async ({ userId, bio }: { userId: number; bio: string }) => {
      profiles.set(userId, bio);
    });
    expect(await getProfile({ userId: 1 })).toBe('a');
    expect(await getProfile({ userId: 2 })).toBe('b');
    await updateProfile({ userId: 1, bio: 'new' });
    expect(await getProfile({ userId: 1 })).toBe('new');
    expect(await getProfile({ userId: 2 })).toBe('b');
    expect(reads).toBe(3);
    await user.invalidate(2);
    await getProfile({ userId: 2 });
    expect(reads).toBe(4);
    expect(user.tag(3)).toBe('user:3');
  });

  it('takes a primitive first argument as the id', async () => {
    const cache = createCache({ store: memoryStore(), logger: false });
    let reads = 0;
    const post = resource('post', { cache });
    const getPost = post.read(async function getPost(id: number) {
      reads += 1;
      return { id };
    });
    await getPost(5);
    await post.invalidate(5);
    await getPost(5);
    expect(reads).toBe(2);
  });
});
