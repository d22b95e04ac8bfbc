import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../lib/i18n/core.js';
import { rich } from '../lib/i18n/rich.js';

// A sentence with elements inside stays one catalogue key; a translation may reorder its parts.
describe('rich catalogue sentences', () => {
  const render = (node: ReturnType<typeof rich>) => renderToStaticMarkup(createElement('p', null, node));

  it('fills placeholders with elements and text, in the order the translation gives', () => {
    const parts = { org: createElement('strong', null, 'Acme'), role: 'admin', email: 'ada@example.com' };
    expect(render(rich(createTranslator({}, 'Portcullis')('orgs.accept.summary'), parts))).toBe(
      '<p>Join <strong>Acme</strong> as admin. The invitation is for ada@example.com.</p>',
    );
    const reordered = createTranslator({ 'orgs.accept.summary': '{email}: {role} bei {org}.' }, 'Portcullis');
    expect(render(rich(reordered('orgs.accept.summary'), parts))).toBe('<p>ada@example.com: admin bei <strong>Acme</strong>.</p>');
  });

  it('does not read placeholders inside the values, and leaves a missing one visible', () => {
    const t = createTranslator({}, 'Portcullis');
    expect(render(rich(t('orgs.accept.summary'), { org: '{role}', role: 'member' }))).toBe('<p>Join {role} as member. The invitation is for {email}.</p>');
  });
});
