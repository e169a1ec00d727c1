// Appended (in a copy) to an analyze report by tests/browser/report.sh: checks
// the rendered page as a person looks at it and writes one line per finding
// into a pre element (id layout-result) for --dump-dom. The report itself has no
// script; this runs only in the test's copy.
(function () {
  var out = [], fails = 0;
  function fail(msg) { fails++; out.push('FAIL ' + msg); }
  var charts = document.querySelectorAll('svg.chart');
  out.push('charts ' + charts.length);
  charts.forEach(function (svg) {
    var name = svg.getAttribute('aria-label');
    var axes = svg.querySelectorAll('g.axis');
    if (!axes.length) fail(name + ': no axis');
    axes.forEach(function (g) {
      var title = g.querySelector('.axis-title');
      if (!title || !title.textContent.trim()) fail(name + ': an axis without a title');
      if (g.querySelectorAll('.tick').length < 2) fail(name + ': an axis with fewer than 2 tick labels');
    });
    // every text box inside the chart, and no two overlapping (1 px of slack)
    var box = svg.getBoundingClientRect();
    var texts = Array.prototype.slice.call(svg.querySelectorAll('text'));
    var rects = texts.map(function (t) { return t.getBoundingClientRect(); });
    for (var i = 0; i < rects.length; i++) {
      var a = rects[i];
      if (a.width === 0) continue;
      if (a.left < box.left - 1 || a.right > box.right + 1 || a.top < box.top - 1 || a.bottom > box.bottom + 1)
        fail(name + ': "' + texts[i].textContent + '" outside the chart');
      for (var j = i + 1; j < rects.length; j++) {
        var b = rects[j];
        if (b.width === 0) continue;
        var w = Math.min(a.right, b.right) - Math.max(a.left, b.left) - 1;
        var h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) - 1;
        if (w > 0 && h > 0) fail(name + ': "' + texts[i].textContent + '" overlaps "' + texts[j].textContent + '"');
      }
    }
  });
  var h = document.getElementById('headline');
  out.push('verdict ' + (h ? h.getAttribute('data-verdict') : 'none'));
  out.push('headline ' + (h ? h.textContent : ''));
  out.push('cards ' + document.querySelectorAll('#quick-card .card').length);
  out.push(fails ? 'layout: ' + fails + ' problems' : 'layout: ok');
  var pre = document.createElement('pre');
  pre.id = 'layout-result';
  pre.textContent = out.join('\n');
  document.body.appendChild(pre);
})();
