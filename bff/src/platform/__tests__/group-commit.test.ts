import { GroupCommit } from '../group-commit';

/** A write that waits until the test lets it finish, recording the groups it was given. */
function heldWrites() {
  const groups: number[][] = [];
  const pending: (() => void)[] = [];
  let fail = false;
  const commit = new GroupCommit<number, number>(async (items) => {
    groups.push(items);
    await new Promise<void>((resolve) => pending.push(resolve));
    if (fail) throw new Error('database down');
    return items.map((n) => n * 10);
  });
  const finishOne = async () => {
    while (pending.length === 0) await new Promise((resolve) => setImmediate(resolve));
    pending.shift()!();
  };
  return { commit, groups, finishOne, failNext: () => (fail = true) };
}

describe('GroupCommit', () => {
  it('writes the first at once and those asked for meanwhile together in the next, each with its own result', async () => {
    const { commit, groups, finishOne } = heldWrites();
    const first = commit.add(1);
    const later = [commit.add(2), commit.add(3), commit.add(4)];
    expect(groups).toEqual([[1]]);
    await finishOne();
    expect(await first).toBe(10);
    await finishOne();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
    expect(groups).toEqual([[1], [2, 3, 4]]);
  });

  it('a failed write fails every caller in it, and the next write goes on', async () => {
    const { commit, groups, finishOne, failNext } = heldWrites();
    failNext();
    const failed = [commit.add(1), commit.add(2)].map((p) => p.catch((err: Error) => err.message));
    await finishOne();
    await finishOne();
    expect(await Promise.all(failed)).toEqual(['database down', 'database down']);
    expect(groups).toEqual([[1], [2]]);
  });
});
