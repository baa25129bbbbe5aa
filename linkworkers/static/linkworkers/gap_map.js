// Draws the gap report's map from the JSON block the page carries (no inline script: CSP): a circle at
// the middle of each area's postcodes, its area proportional to the area's published demand. The table
// beside it has every number and stays the accessible version: circles are out of the tab order, and
// their tooltips repeat the table. Without tiles no request is made.

(function () {
  const source = document.getElementById("gap-map-data");
  const wrapper = document.querySelector("[data-gap-map-wrapper]");
  if (!source || !wrapper || typeof window.L === "undefined") return;
  const data = JSON.parse(source.textContent);
  if (!data || !data.symbols || !data.symbols.length) return;

  wrapper.hidden = false;
  const L = window.L;
  const map = L.map("gap-map", { scrollWheelZoom: false, keyboard: true, attributionControl: true });
  if (data.tiles) {
    L.tileLayer(data.tiles, { attribution: data.attribution || "", maxZoom: 19 }).addTo(map);
  } else {
    map.attributionControl.setPrefix(false);
  }

  const SMALLEST = 6, LARGEST = 36;  // radii in pixels
  const largest = Math.max(1, ...data.symbols.map((symbol) => symbol.demand || 0));
  const points = [];
  for (const symbol of data.symbols) {
    const point = [symbol.lat, symbol.lon];
    points.push(point);
    const shown = symbol.demand !== null && symbol.demand > 0;
    // Area, not radius, proportional to demand, so a district with twice the demand does not look four times as big.
    const radius = shown ? Math.max(SMALLEST, LARGEST * Math.sqrt(symbol.demand / largest)) : SMALLEST;
    L.circleMarker(point, {
      radius: radius,
      className: shown ? "portal-gap-map__symbol" : "portal-gap-map__symbol portal-gap-map__symbol--hidden",
      keyboard: false,
    }).bindTooltip(symbol.text).addTo(map);
  }
  map.fitBounds(L.latLngBounds(points).pad(0.3), { maxZoom: 12 });
})();
