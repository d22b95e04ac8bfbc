// axe-core in the e2e suite: every page state is checked, and serious or critical violations fail.
// The source is evaluated through the DevTools protocol (page.evaluate), which the page's strict
// Content-Security-Policy does not apply to, so the app's CSP stays as it ships.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResult {
  violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[];
}

/**
 * Serious and critical violations on the page as it is now, one readable line each (empty when
 * clean). A finding must hold on a second look a moment later: a real violation does not go away
 * by itself, but a node the page re-rendered while axe walked it is read detached, with no
 * background, and one such `color-contrast` finding failed a full run once (a session row's
 * `time`, dark scheme, never seen again in that state). Both looks' findings are kept in the
 * message's detail (axe's failure summary: the colours it read).
 */
export async function seriousViolations(page: Page, label: string): Promise<string[]> {
  const first = await axeFindings(page);
  if (first.size === 0) return [];
  await page.evaluate(() => new Promise((resolve) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(resolve)), 300)));
  const second = await axeFindings(page);
  return [...second].filter(([key]) => first.has(key)).map(([key, detail]) => `${label}: ${key} — ${detail}`);
}

/** Serious and critical findings by "rule (impact) help — target", with axe's failure summary. */
async function axeFindings(page: Page): Promise<Map<string, string>> {
  const injected = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!injected) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(
    () =>
      (window as unknown as { axe: { run(context: Document, options: object): Promise<unknown> } }).axe.run(document, {
        resultTypes: ['violations'],
      }) as Promise<AxeResult>,
  );
  const findings = new Map<string, string>();
  for (const v of result.violations) {
    if (v.impact !== 'serious' && v.impact !== 'critical') continue;
    for (const node of v.nodes) {
      findings.set(`${v.id} (${v.impact}) ${v.help} — ${JSON.stringify(node.target)}`, (node.failureSummary ?? '').replace(/\s+/g, ' ').trim());
    }
  }
  return findings;
}

export type Scheme = 'light' | 'dark';
export const SCHEMES: Scheme[] = ['light', 'dark'];

/** Checks the current page state in both colour schemes (the system setting, as the toggle's "System"). */
export async function checkBothSchemes(page: Page, label: string): Promise<string[]> {
  const found: string[] = [];
  for (const scheme of SCHEMES) {
    // Reduced motion: the app's colour transitions end at once, so axe never sees a colour half-way.
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await transitionsDone(page);
    found.push(...(await seriousViolations(page, `${label} [${scheme}]`)));
  }
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
  return found;
}

/**
 * Waits until the colour change has been painted and every CSS transition it started has ended:
 * axe reads computed colours, and a transition's first frame still has the old ones.
 */
async function transitionsDone(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const running = document.getAnimations().filter((a) => a instanceof CSSTransition);
    await Promise.all(running.map((a) => a.finished.catch(() => undefined)));
  });
}
