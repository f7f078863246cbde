/** 'settled' if `p` settles (either way) within `ms`, else 'pending'; the guard timer is cleared. */
export async function within(p: Promise<unknown>, ms: number): Promise<'settled' | 'pending'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<'pending'>((r) => (timer = setTimeout(() => r('pending'), ms)));
  const settled = p.then(
    () => 'settled' as const,
    () => 'settled' as const,
  );
  return Promise.race([settled, guard]).finally(() => clearTimeout(timer));
}
