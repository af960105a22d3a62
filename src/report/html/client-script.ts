/**
 * The report page's own script, as text inlined into the file (its hash goes into the CSP). It only
 * draws: it reads the chart specs from the inert JSON data block and hands them to uPlot. Every
 * label goes through uPlot's text APIs (textContent), never HTML.
 */
export const CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var dataEl = document.getElementById('lambench-data');
  if (!dataEl || typeof uPlot === 'undefined') return;
  var data = JSON.parse(dataEl.textContent || '{}');
  var charts = [];

  function css(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
  }
  function pctLabel(x) {
    var p = 100 * (1 - Math.pow(10, -x));
    if (x === 0) return '0%';
    var digits = Math.max(0, Math.ceil(x) - 1);
    return p.toFixed(digits) + '%';
  }
  function num(v, unit) {
    if (v == null || !isFinite(v)) return '';
    if (unit === 'ms') return v >= 1000 ? (v / 1000).toPrecision(3) + ' s' : v >= 10 ? Math.round(v) + ' ms' : v >= 1 ? v.toFixed(1) + ' ms' : (v * 1000).toFixed(0) + ' µs';
    if (unit === 'usd') return '$' + (v < 1 ? v.toPrecision(3) : v.toFixed(2));
    if (unit === 'pct') return Math.round(v) + '%';
    if (unit === 'mem') return v + ' MB';
    if (unit === 's') return v + ' s';
    if (unit === 'percentile') return pctLabel(v);
    return Math.abs(v) >= 100 ? String(Math.round(v)) : String(Math.round(v * 100) / 100);
  }

  function optionsFor(spec, width) {
    var fg = css('--fg-muted');
    var grid = css('--grid');
    var axisBase = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    var series = [{ label: spec.xLabel, value: function (u, v) { return num(v, spec.xUnit); } }];
    spec.series.forEach(function (s) {
      var unit = spec.yUnits[s.axis] || 'count';
      var one = {
        label: s.label,
        stroke: s.color,
        width: 2,
        scale: s.axis === 1 ? 'y2' : 'y',
        spanGaps: s.style !== 'points',
        value: function (u, v) { return num(v, unit); },
      };
      if (s.dash) one.dash = [6, 4];
      if (s.style === 'points') {
        one.paths = function () { return null; };
        one.points = { show: true, size: 8, fill: s.color, stroke: s.color };
      } else if (s.style === 'step' && uPlot.paths && uPlot.paths.stepped) {
        one.paths = uPlot.paths.stepped({ align: 1 });
        one.points = { show: false };
      } else {
        one.points = { show: false };
      }
      series.push(one);
    });
    var axes = [
      Object.assign({}, axisBase, {
        label: spec.xLabel,
        values: function (u, splits) { return splits.map(function (v) { return num(v, spec.xUnit); }); },
      }),
      Object.assign({}, axisBase, {
        label: spec.yLabels[0],
        scale: 'y',
        size: 60,
        values: function (u, splits) { return splits.map(function (v) { return num(v, spec.yUnits[0]); }); },
      }),
    ];
    if (spec.yUnits[1]) {
      axes.push(Object.assign({}, axisBase, {
        label: spec.yLabels[1],
        scale: 'y2',
        side: 1,
        size: 60,
        grid: { show: false },
        values: function (u, splits) { return splits.map(function (v) { return num(v, spec.yUnits[1]); }); },
      }));
    }
    var scales = { x: { time: false }, y: spec.logY ? { distr: 3 } : { range: function (u, min, max) { return [Math.min(0, min), max > 0 ? max * 1.08 : 1]; } }, y2: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } };
    if (spec.xUnit === 'percentile') {
      axes[0].splits = function (u) {
        var out = [];
        for (var i = 0; i <= Math.floor(u.scales.x.max + 1e-9); i++) out.push(i);
        return out;
      };
    }
    if (spec.xUnit === 'mem') {
      var lo = spec.x[0], hi = spec.x[spec.x.length - 1], pad = Math.max(32, (hi - lo) * 0.06);
      scales.x.range = function () { return [Math.max(0, lo - pad), hi + pad]; };
      axes[0].splits = function () { return spec.x.slice(); };
    }
    if (spec.xUnit === 's') axes[0].incrs = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];
    return { width: width, height: 300, series: series, axes: axes, scales: scales, legend: { live: true }, cursor: { drag: { x: true, y: false } } };
  }

  function draw() {
    charts.forEach(function (c) { c.plot.destroy(); });
    charts = [];
    (data.charts || []).forEach(function (spec) {
      var holder = document.getElementById('chart-' + spec.id);
      if (!holder) return;
      var width = Math.max(320, Math.floor(holder.clientWidth || 640));
      var values = [spec.x].concat(spec.series.map(function (s) {
        return spec.logY ? s.values.map(function (v) { return v != null && v > 0 ? v : null; }) : s.values;
      }));
      var plot = new uPlot(optionsFor(spec, width), values, holder);
      holder.setAttribute('data-drawn', 'true');
      charts.push({ plot: plot, holder: holder });
    });
    document.documentElement.setAttribute('data-charts-drawn', String(charts.length));
  }

  var timer;
  window.addEventListener('resize', function () {
    clearTimeout(timer);
    timer = setTimeout(draw, 150);
  });
  if (window.matchMedia) {
    window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', draw);
    window.matchMedia('print').addEventListener('change', function (e) { if (e.matches) draw(); });
  }
  window.addEventListener('beforeprint', draw);
  draw();
})();
`;
