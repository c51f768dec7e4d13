// The script of an awaitify report (docs/report.md): filters the findings as
// you type, and draws a chain's rewrite side by side when you open it. It
// reads only the page: the hunks are in index.html's #report-data block.
// Source text is only ever set as textContent, never parsed as HTML.
'use strict';

(function () {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const search = document.getElementById('search');
  const status = document.getElementById('status');
  const shown = document.getElementById('shown');
  const noMatch = document.getElementById('no-match');
  const table = document.getElementById('findings-table');
  const rows = Array.from(table.tBodies[0].rows).filter(
    (r) => r.classList.contains('finding'));
  // What a search matches: every cell but the button's.
  const haystack = new Map(rows.map((r) => [r, Array.from(r.cells)
    .slice(0, -1).map((c) => c.textContent).join(' ').toLowerCase()]));
  const diffRows = new Map(); // finding id -> its drawn diff row
  const open = new Set(); // ids of the findings whose diff is open

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // --- Filtering ------------------------------------------------------------

  function filter() {
    const terms = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const kind = status.value;
    let visible = 0;
    for (const row of rows) {
      const hay = haystack.get(row);
      const show = (!kind || row.dataset.kind === kind) &&
        terms.every((t) => hay.includes(t));
      row.hidden = !show;
      const diff = diffRows.get(row.dataset.id);
      if (diff) diff.hidden = !show || !open.has(row.dataset.id);
      if (show) visible++;
    }
    shown.textContent = visible + ' of ' + rows.length + ' shown';
    noMatch.hidden = visible !== 0;
  }

  // --- Line diff --------------------------------------------------------------

  // The lines of a text, without their line endings.
  function lines(text) {
    const out = text.split('\n');
    if (out.length && out[out.length - 1] === '') out.pop();
    return out.map((l) => l.replace(/\r$/, ''));
  }

  // A longest-common-subsequence diff of two arrays of lines: a list of
  // ['=', i, j], ['-', i, -1] and ['+', -1, j], deletions before insertions
  // in each changed run. The common start and end are matched first; a
  // middle too large to align is shown as all changed.
  function diffLines(a, b) {
    let start = 0;
    while (start < a.length && start < b.length && a[start] === b[start]) {
      start++;
    }
    let endA = a.length;
    let endB = b.length;
    while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
      endA--;
      endB--;
    }
    const ops = [];
    for (let i = 0; i < start; i++) ops.push(['=', i, i]);
    const n = endA - start;
    const m = endB - start;
    if (n * m > 4000000) {
      for (let i = start; i < endA; i++) ops.push(['-', i, -1]);
      for (let j = start; j < endB; j++) ops.push(['+', -1, j]);
    } else {
      const w = m + 1;
      const lcs = new Uint32Array((n + 1) * w);
      for (let i = n - 1; i >= 0; i--) {
        for (let j = m - 1; j >= 0; j--) {
          lcs[i * w + j] = a[start + i] === b[start + j]
            ? lcs[(i + 1) * w + j + 1] + 1
            : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
        }
      }
      let i = 0;
      let j = 0;
      while (i < n || j < m) {
        if (i < n && j < m && a[start + i] === b[start + j]) {
          ops.push(['=', start + i++, start + j++]);
        } else if (i < n && (j === m ||
                             lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
          ops.push(['-', start + i++, -1]);
        } else {
          ops.push(['+', -1, start + j++]);
        }
      }
    }
    for (let k = 0; k < a.length - endA; k++) {
      ops.push(['=', endA + k, endB + k]);
    }
    return ops;
  }

  // Rows of a side-by-side view: [left, right], each null or [index, kind].
  // In a changed run, the n-th deleted line faces the n-th inserted one.
  function pairUp(ops) {
    const out = [];
    let dels = [];
    let adds = [];
    const flush = () => {
      for (let k = 0; k < Math.max(dels.length, adds.length); k++) {
        out.push([k < dels.length ? [dels[k], 'del'] : null,
          k < adds.length ? [adds[k], 'add'] : null]);
      }
      dels = [];
      adds = [];
    };
    for (const [op, i, j] of ops) {
      if (op === '-') {
        dels.push(i);
      } else if (op === '+') {
        adds.push(j);
      } else {
        flush();
        out.push([[i, 'same'], [j, 'same']]);
      }
    }
    flush();
    return out;
  }

  // --- Side by side -------------------------------------------------------------

  function side(tr, cell, text, first) {
    const number = el('td', 'ln');
    const code = el('td', 'code');
    if (cell) {
      number.textContent = String(first + cell[0]);
      code.textContent = text[cell[0]];
      code.classList.add(cell[1]);
      number.classList.add(cell[1]);
    } else {
      code.classList.add('empty');
      number.classList.add('empty');
    }
    tr.append(number, code);
  }

  // One hunk: its place, then the lines before and after, side by side.
  // \p shift is how many lines the file's earlier hunks added.
  function hunkView(hunk, shift) {
    const before = lines(hunk.before);
    const after = lines(hunk.after);
    const box = el('div', 'hunk');
    box.append(el('div', 'hunk-where', hunk.file + ', line ' + hunk.line));
    const t = el('table', 'side-by-side');
    const cols = el('colgroup');
    for (const kind of ['ln', 'code', 'ln', 'code']) cols.append(el('col', kind));
    t.append(cols);
    const head = t.createTHead().insertRow();
    const b = el('th', '', 'Before');
    const a = el('th', '', 'After');
    b.colSpan = 2;
    a.colSpan = 2;
    head.append(b, a);
    const body = t.createTBody();
    for (const [left, right] of pairUp(diffLines(before, after))) {
      const tr = body.insertRow();
      side(tr, left, before, hunk.line);
      side(tr, right, after, hunk.line + shift);
    }
    box.append(t);
    return box;
  }

  function diffRow(id) {
    const chain = data.chains[id];
    const tr = el('tr', 'diff-row');
    tr.id = 'diff-' + id;
    const td = el('td');
    td.colSpan = rows[0].cells.length;
    const view = el('div', 'diff');
    view.append(el('div', 'diff-title',
      'The rewrite of ' + chain.function + ' (' + chain.where + ')'));
    if (!chain.hunks.length) {
      view.append(el('p', 'no-preview', 'No preview: ' + chain.noPreview));
    }
    const shifts = new Map(); // file -> lines added by its earlier hunks
    for (const hunk of chain.hunks) {
      const shift = shifts.get(hunk.file) || 0;
      view.append(hunkView(hunk, shift));
      shifts.set(hunk.file, shift + lines(hunk.after).length -
        lines(hunk.before).length);
    }
    td.append(view);
    tr.append(td);
    return tr;
  }

  function toggle(button) {
    const id = button.dataset.id;
    let diff = diffRows.get(id);
    if (!diff) {
      diff = diffRow(id);
      document.getElementById('finding-' + id).after(diff);
      diffRows.set(id, diff);
    }
    if (open.has(id)) {
      open.delete(id);
    } else {
      open.add(id);
    }
    diff.hidden = !open.has(id);
    button.setAttribute('aria-expanded', String(open.has(id)));
  }

  table.addEventListener('click', (event) => {
    const button = event.target.closest('button.show-diff');
    if (button) toggle(button);
  });
  search.addEventListener('input', filter);
  status.addEventListener('change', filter);
  filter(); // a value the browser kept across a reload
})();
