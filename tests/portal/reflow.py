"""WCAG 2.2 reflow (1.4.10) measured in the browser: what a page shows at a phone's width.

`REFLOW_JS` runs in the page and returns every problem it finds as a short string (empty
when the page reflows). The rules, from issue 26:

- nothing a person reads or uses (an element with its own text, an interactive role, an
  image or a chart) extends past the viewport, except inside a table's scroll region;
- a scroll region is `role="region"`, focusable (`tabindex="0"`), labelled, scrolls
  itself (`overflow-x: auto`), fits the viewport and holds at most one table; any other
  element that scrolls sideways is a problem;
- each row of a table in a region keeps its action controls (links, buttons, fields)
  visible without scrolling the region (a list table should stack into cards instead);
- `overflow-x: hidden` (or `clip`) on html, body or main, which would hide the overflow
  instead of removing it, is not used;
- running text (a text of 40 characters or more) is at least 14 CSS px.
"""

from __future__ import annotations

REFLOW_JS = r"""
() => {
  const doc = document.documentElement;
  const vw = doc.clientWidth;
  const problems = [];
  const INTERACTIVE = 'a[href], button, input:not([type=hidden]), select, textarea, summary,'
    + ' [tabindex]:not([tabindex="-1"]), [role=button], [role=link], [role=checkbox],'
    + ' [role=tab], [role=menuitem], [role=switch]';
  const MEDIA = 'img, svg, canvas, video, iframe, object';
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    const cls = (el.getAttribute('class') || '').trim().split(/\s+/).filter(Boolean);
    if (cls.length) s += '.' + cls.slice(0, 2).join('.');
    const text = (el.innerText || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ');
    if (text) s += ' "' + text.slice(0, 40) + '"';
    return s;
  };
  const visible = (el) => {
    if (!el.getClientRects().length) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden';
  };
  const ownText = (el) => [...el.childNodes].some(
    (n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());

  for (const el of [doc, document.body, document.querySelector('main')]) {
    if (!el) continue;
    const ox = getComputedStyle(el).overflowX;
    if (ox === 'hidden' || ox === 'clip') {
      problems.push(`overflow-x: ${ox} on ${el.tagName.toLowerCase()}`);
    }
  }
  if (doc.scrollWidth > vw + 1) problems.push(`page is ${doc.scrollWidth}px wide`);

  // scroll containers: every element that scrolls sideways must be a table's region
  const regions = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    const ox = getComputedStyle(el).overflowX;
    if (ox !== 'auto' && ox !== 'scroll') continue;
    if (!visible(el)) continue;
    const isRegion = el.getAttribute('role') === 'region';
    if (!isRegion && el.scrollWidth <= el.clientWidth + 1) continue;
    const name = (el.getAttribute('aria-label') || '').trim()
      || (el.getAttribute('aria-labelledby') || '').split(/\s+/)
        .map((id) => document.getElementById(id)).filter(Boolean)
        .map((n) => n.textContent.trim()).join(' ');
    const tables = el.querySelectorAll('table').length;
    const faults = [];
    if (!isRegion) faults.push('no role="region"');
    if (el.getAttribute('tabindex') !== '0') faults.push('not focusable (tabindex="0")');
    if (!name) faults.push('no label');
    if (tables !== 1) faults.push(`${tables} tables`);
    const r = el.getBoundingClientRect();
    if (r.right > vw + 1 || r.left < -1) faults.push('wider than the viewport');
    if (faults.length) {
      problems.push(`scroll area ${describe(el)}: ${faults.join(', ')}`);
    } else {
      regions.add(el);
    }
  }
  const regionOf = (el) => {
    for (let a = el.parentElement; a; a = a.parentElement) if (regions.has(a)) return a;
    return null;
  };

  for (const el of document.body.querySelectorAll('*')) {
    const interactive = el.matches(INTERACTIVE);
    const media = el.matches(MEDIA);
    if (!interactive && !media && !ownText(el)) continue;
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 && r.height <= 1) continue;  // visually hidden (clipped to 1px)
    if (r.right <= vw + 1 && r.left >= -1) continue;
    const region = regionOf(el);
    if (region && el.closest('table')) continue;
    problems.push(`${describe(el)} spans ${Math.round(r.left)}..${Math.round(r.right)}px`);
  }

  // tables in a region: each row's controls visible without scrolling the region
  for (const region of regions) {
    const box = region.getBoundingClientRect();
    const saved = region.scrollLeft;
    region.scrollLeft = 0;
    for (const row of region.querySelectorAll('tr')) {
      for (const control of row.querySelectorAll(INTERACTIVE)) {
        if (!visible(control)) continue;
        const r = control.getBoundingClientRect();
        if (r.right > box.right + 1 || r.left < box.left - 1) {
          problems.push(`${describe(control)} in a row of ${describe(region)}`
            + ' is off screen until the table scrolls');
        }
      }
    }
    region.scrollLeft = saved;
  }

  // running text at least 14px
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg')) continue;
    const text = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent).join('').trim();
    if (text.length < 40 || !visible(el)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 14) problems.push(`${describe(el)} is ${size}px text`);
  }
  return [...new Set(problems)];
}
"""


def reflow_problems(page) -> list[str]:
    return page.evaluate(REFLOW_JS)
