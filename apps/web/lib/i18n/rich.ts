// A catalogue sentence with elements inside it (a link, bold text): the sentence stays one key,
// `Join {org} as {role}.`, and each `{name}` is filled with text or a React element, so a
// translation can move the parts around instead of the page gluing translated fragments together.
// Plain .ts (createElement, no JSX) so the unit tests' TypeScript project, which has no JSX, can import it.
import { createElement, Fragment, type ReactNode } from 'react';

/**
 * `rich(t('orgs.accept.summary'), { org: <strong>{name}</strong>, role })`. `t` leaves the
 * placeholders it was not given as they are; this puts the nodes there. One left unfilled stays
 * visible. Give people's own text (names, addresses) here rather than to `t`, so a `{` in it is
 * never read as a placeholder.
 */
export function rich(text: string, nodes: Record<string, ReactNode>): ReactNode {
  return text.split(/\{(\w+)\}/).map((part, i) => {
    if (i % 2 === 0) return part;
    return createElement(Fragment, { key: i }, Object.hasOwn(nodes, part) ? nodes[part] : `{${part}}`);
  });
}
