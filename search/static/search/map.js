// Draws the results on a Leaflet map from the JSON block the page carries (no inline script: CSP).
// The list stays the accessible version: the map is labelled, markers are reachable by keyboard and
// their popups link to the listing; Tab always moves on, and without tiles no network request is made.

(function () {
  const source = document.getElementById("search-map-data");
  const wrapper = document.querySelector("[data-search-map-wrapper]");
  if (!source || !wrapper || typeof window.L === "undefined") return;
  const data = JSON.parse(source.textContent);
  if (!data || !data.markers || !data.markers.length) return;

  wrapper.hidden = false;
  const L = window.L;
  const map = L.map("search-map", { scrollWheelZoom: false, keyboard: true, attributionControl: true });
  if (data.tiles) {
    L.tileLayer(data.tiles, { attribution: data.attribution || "", maxZoom: 19 }).addTo(map);
  } else {
    map.attributionControl.setPrefix(false);
  }
  L.Icon.Default.imagePath = document.querySelector('link[href*="vendor/leaflet/leaflet"]')
    .href.replace(/leaflet(\.[0-9a-f]+)?\.css.*$/, "images/");

  function popup(marker) {
    const container = document.createElement("div");
    const link = document.createElement("a");
    link.href = marker.url;
    link.textContent = marker.name;
    container.appendChild(link);
    if (marker.place) {
      const where = document.createElement("p");
      where.textContent = marker.place;
      container.appendChild(where);
    }
    return container;
  }

  const points = [];
  for (const marker of data.markers) {
    const point = [marker.lat, marker.lon];
    points.push(point);
    L.marker(point, { title: marker.name, alt: marker.name, keyboard: true })
      .bindPopup(() => popup(marker))
      .addTo(map);
  }
  if (data.origin) {
    const origin = [data.origin.lat, data.origin.lon];
    points.push(origin);
    L.circleMarker(origin, { radius: 7, color: "#212b32", fillColor: "#ffeb3b", fillOpacity: 1, interactive: false })
      .addTo(map);
  }
  map.fitBounds(L.latLngBounds(points).pad(0.15), { maxZoom: 15 });
})();
