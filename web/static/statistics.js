// The statistics page's charts (Apache ECharts, vendored). Each chart container names the
// JSON block it draws (`data-answer`: the API's own answer, embedded by the server), its
// series (`data-series`: indicator codes), what its x axis is (`data-x`: `period`, a
// breakdown, or `status`) and, for agencies, the breakdown whose keys are the series
// (`data-group`). Names in the reader's language come from the `stats-labels` block. A
// suppressed figure is a gap in the chart; the table under each chart reads "<5".
// No inline script: the page's Content-Security-Policy allows only files from this site.
(function () {
  'use strict';

  function block(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function categoryOf(row, x) {
    if (x === 'period') return row.period;
    if (x === 'status') return row.status || '';
    return row[x] || '';
  }

  function draw(box, labels) {
    var report = block(box.dataset.answer);
    if (!report || typeof echarts === 'undefined') return null;
    var names = labels.names || {};
    var unit = box.dataset.unit;
    var x = box.dataset.x;
    var group = box.dataset.group;
    var codes = box.dataset.series.split(',');
    var scale = unit === 'per_mille' ? 10 : unit === 'fen' ? 100 : 1;
    var number = new Intl.NumberFormat(labels.lang, {
      maximumFractionDigits: unit === 'per_mille' ? 1 : unit === 'fen' ? 2 : 0
    });
    var categories = [];
    var series = [];
    function seriesNamed(name) {
      for (var i = 0; i < series.length; i++) if (series[i].key === name) return series[i];
      var made = { key: name, values: {} };
      series.push(made);
      return made;
    }
    report.indicators.forEach(function (figures) {
      if (codes.indexOf(figures.code) < 0) return;
      figures.rows.forEach(function (row) {
        var category = categoryOf(row, x);
        if (categories.indexOf(category) < 0) categories.push(category);
        var key = group ? (row[group] || '') : figures.code;
        seriesNamed(key).values[category] = row.suppressed || row.value === null ? null : row.value / scale;
      });
    });
    var label = function (code) {
      return names[code] || code || labels.none;
    };
    // Nothing to draw (every figure suppressed, or none): say so where the bars would be.
    var nothing = series.every(function (s) {
      return categories.every(function (c) { return s.values[c] === null || s.values[c] === undefined; });
    });
    // One series is named by the chart's title; several get a legend, one a line, cut
    // short rather than wider than a phone.
    var legendHeight = series.length > 1 ? series.length * 22 : 0;
    var chart = echarts.init(box, null, { renderer: 'svg' });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 8, top: legendHeight + 24, bottom: 8, containLabel: true },
      graphic: nothing ? [{
        type: 'text',
        left: 'center',
        top: 'middle',
        style: {
          text: labels.nothing,
          width: Math.max(box.clientWidth - 48, 80),
          overflow: 'break',
          fill: '#5b6b76',
          fontSize: 14,
          align: 'center'
        }
      }] : [],
      legend: {
        show: series.length > 1,
        orient: 'vertical',
        top: 0,
        left: 0,
        itemGap: 6,
        textStyle: { width: Math.max(box.clientWidth - 48, 80), overflow: 'truncate' }
      },
      tooltip: {
        trigger: 'axis',
        confine: true,
        valueFormatter: function (value) {
          return value === null || value === undefined ? labels.suppressed : number.format(value);
        }
      },
      xAxis: {
        type: 'category',
        data: categories.map(label),
        axisLabel: { hideOverlap: true, rotate: categories.length > 6 ? 45 : 0 }
      },
      yAxis: {
        type: 'value',
        minInterval: unit === 'per_mille' || unit === 'fen' ? 0 : 1,
        name: unit === 'per_mille' ? labels.percent : unit === 'fen' ? labels.yuan : '',
        axisLabel: { formatter: function (value) { return number.format(value); } }
      },
      series: series.map(function (s) {
        return {
          name: names[s.key] || s.key,
          type: box.dataset.kind === 'line' ? 'line' : 'bar',
          connectNulls: false,
          data: categories.map(function (c) { return c in s.values ? s.values[c] : null; })
        };
      })
    });
    box.dataset.drawn = 'true';
    return chart;
  }

  function start() {
    var labels = block('stats-labels');
    if (!labels) return;
    var charts = [];
    document.querySelectorAll('.stats-chart[data-answer]').forEach(function (box) {
      var chart = draw(box, labels);
      if (chart) charts.push(chart);
    });
    window.addEventListener('resize', function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
