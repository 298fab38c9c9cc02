/**
 * assets/briefing.js: progressive enhancement only (the page is complete without it). It adds
 * a print button and a "Download CSV" button above each table, built from the aggregates in
 * data.js. Text goes in through textContent and createElement, never innerHTML, and nothing is
 * fetched: CSV files are made in memory as blob: links, which works from file:// too.
 */
export const BRIEFING_JS = `(function () {
  'use strict';
  var data = window.CALLSIGHT_BRIEFING;
  var tools = document.getElementById('tools');
  if (tools && window.print) {
    var print = document.createElement('button');
    print.type = 'button';
    print.textContent = 'Print or save as PDF';
    print.addEventListener('click', function () { window.print(); });
    tools.appendChild(print);
  }
  if (!data || !data.tables) return;
  function cell(v) {
    var s = v === null || v === undefined ? '' : String(v);
    if (/^[=+\\-@\\t\\r]/.test(s)) s = "'" + s;
    return /[",\\r\\n']/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function csv(rows) { return rows.map(function (r) { return r.map(cell).join(','); }).join('\\r\\n') + '\\r\\n'; }
  var tables = document.querySelectorAll('table[data-table]');
  Array.prototype.forEach.call(tables, function (table) {
    var rows = [];
    Array.prototype.forEach.call(table.rows, function (tr) {
      rows.push(Array.prototype.map.call(tr.cells, function (c) { return c.textContent; }));
    });
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'download';
    var caption = table.caption ? table.caption.textContent : 'table';
    button.textContent = 'Download CSV';
    button.setAttribute('aria-label', 'Download CSV: ' + caption);
    button.addEventListener('click', function () {
      var blob = new Blob(['\\ufeff' + csv(rows)], { type: 'text/csv;charset=utf-8' });
      var a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = (table.getAttribute('data-table') || 'table').replace(/[^a-z0-9-]+/gi, '-') + '.csv';
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    });
    var wrap = table.parentNode;
    wrap.parentNode.insertBefore(button, wrap);
  });
  document.documentElement.setAttribute('data-briefing-ready', String(tables.length));
})();
`;
