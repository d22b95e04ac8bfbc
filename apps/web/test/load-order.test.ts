// The rule behind useApiGet: which load's answer a page may show when loads and its own edits overlap.
// CI once lost a just-created service account: the page's first load, read before the create was
// written, answered after it and replaced the list with the old one.
import { describe, expect, it } from 'vitest';
import { createLoadOrder } from '../lib/loadOrder';

describe('load order', () => {
  it('shows a load that answers with nothing newer started', () => {
    const order = createLoadOrder();
    expect(order.settle(order.begin())).toBe(true);
  });

  it('drops an older load that answers after a newer one started', () => {
    const order = createLoadOrder();
    const older = order.begin();
    const newer = order.begin();
    expect(order.settle(older)).toBe(false);
    expect(order.settle(newer)).toBe(true);
  });

  it('drops a load that was in flight when the page edited its data, and asks for another', () => {
    const order = createLoadOrder();
    const first = order.begin();
    expect(order.localEdit()).toBe(true);
    expect(order.settle(first)).toBe(false);
    const again = order.begin();
    expect(order.settle(again)).toBe(true);
  });

  it('keeps an edit made after the load answered, with no second load', () => {
    const order = createLoadOrder();
    expect(order.settle(order.begin())).toBe(true);
    expect(order.localEdit()).toBe(false);
  });
});
