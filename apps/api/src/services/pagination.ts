/**
 * One way to read a page of any list (projects, admin users, audit events): the window asked for
 * (`page`, `limit`: the contract's `fields.pagination`, already validated) and the count of the
 * whole list, read at the same time, answered in the contract's `pageOf` shape.
 */

export interface Page {
  page: number;
  limit: number;
}

export const offsetOf = ({ page, limit }: Page) => (page - 1) * limit;

/** `{ [key]: items, total, page, limit }`, as `pageOf(key, …)` in @portcullis/contract describes it. */
export type PageOf<K extends string, T> = { [P in K]: T[] } & { total: number; page: number; limit: number };

export interface PageQueries<T> {
  /** The rows of the window, in the list's order (LIMIT and OFFSET). */
  items(window: { limit: number; offset: number }): PromiseLike<T[]>;
  /** `select count(*) as n` over the same filter. */
  count(): PromiseLike<{ n: number }[]>;
}

export async function readPage<K extends string, T>(key: K, page: Page, queries: PageQueries<T>): Promise<PageOf<K, T>> {
  const [items, [counted]] = await Promise.all([queries.items({ limit: page.limit, offset: offsetOf(page) }), queries.count()]);
  return { [key]: items, total: counted?.n ?? 0, page: page.page, limit: page.limit } as PageOf<K, T>;
}
