/* Dashboard charts (ECharts) from the data the page embeds with json_script; clicking drills down. */
(function () {
  "use strict";
  var node = document.getElementById("reporting-data");
  if (!node || typeof echarts === "undefined") { return; }
  var data = JSON.parse(node.textContent);

  var mapEl = document.getElementById("coverage-map");
  if (mapEl && data.map) {
    var mapChart = echarts.init(mapEl);
    fetch(data.map.geojson, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (geo) {
      echarts.registerMap("liuzhou", geo);
      var byName = {};
      data.map.items.forEach(function (i) { byName[i.name] = i; });
      mapChart.setOption({
        tooltip: {trigger: "item", formatter: function (p) {
          return p.name + ": " + (p.value === undefined || isNaN(p.value) ? "—" : p.value.toFixed(1) + " %");
        }},
        visualMap: {min: 0, max: 100, left: "left", bottom: 0, text: ["100 %", "0 %"], calculable: false,
                    inRange: {color: ["#dc3545", "#ffc107", "#198754"]}},
        series: [{type: "map", map: "liuzhou", name: data.map.title, roam: false,
                  label: {show: true, fontSize: 10},
                  data: data.map.items.map(function (i) { return {name: i.name, value: i.value}; })}]
      });
      mapChart.on("click", function (p) {
        var item = byName[p.name];
        if (item) { window.location.href = item.url; }
      });
    });
    window.addEventListener("resize", function () { mapChart.resize(); });
  }

  var trendEl = document.getElementById("trend-chart");
  if (trendEl && data.trends.length) {
    var trendChart = echarts.init(trendEl);
    var series = [];
    data.trends.forEach(function (t) {
      var axis = t.unit === "%" ? 0 : 1;
      series.push({name: t.name, type: "line", yAxisIndex: axis, data: t.values});
      if (t.targets.some(function (v) { return v !== null; })) {
        series.push({name: t.name + " · " + data.labels.target, type: "line", yAxisIndex: axis, data: t.targets,
                     lineStyle: {type: "dashed"}, symbol: "none"});
      }
    });
    trendChart.setOption({
      tooltip: {trigger: "axis"}, legend: {type: "scroll", top: 0},
      grid: {top: 60, left: 50, right: 50, bottom: 30},
      xAxis: {type: "category", data: data.years},
      yAxis: [{type: "value", name: "%", max: 100}, {type: "value", name: "#"}],
      series: series
    });
    window.addEventListener("resize", function () { trendChart.resize(); });
  }

  var specEl = document.getElementById("spec-chart");
  if (specEl && data.spec.length) {
    var specChart = echarts.init(specEl);
    specChart.setOption({
      tooltip: {trigger: "axis"}, grid: {left: 140, right: 30, top: 20, bottom: 30},
      xAxis: {type: "value", name: "%"},
      yAxis: {type: "category", data: data.spec.map(function (s) { return s.name; })},
      series: [{type: "bar", name: data.labels.value,
                data: data.spec.map(function (s) {
                  return {value: s.value, itemStyle: {color: s.value !== null && s.value >= data.spec_line ? "#198754" : "#dc3545"}};
                }),
                markLine: {symbol: "none", lineStyle: {type: "dashed"}, data: [{xAxis: data.spec_line}]}}]
    });
    specChart.on("click", function (p) { window.location.href = data.spec[p.dataIndex].url; });
    window.addEventListener("resize", function () { specChart.resize(); });
  }
})();
