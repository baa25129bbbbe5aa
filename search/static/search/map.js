// Draws venues on a Leaflet map from the JSON block the page carries (no inline script: CSP): the
// results on the search page, a listing's own venues on its page.
// The list stays the accessible version and the keyboard's route: markers are left out of the tab
// order (the map itself can still be focused, panned and zoomed from the keyboard), and their
// popups repeat what the list says. Pins are 32 by 42 pixels (WCAG 2.2's 24 by 24 at least) and
// take their colours from CSS, so a theme can recolour them. Without tiles no request is made.

(function () {
  const source = document.getElementById("search-map-data");
  const wrapper = document.querySelector("[data-search-map-wrapper]");
  if (!source || !wrapper || typeof window.L === "undefined") return;
  const data = JSON.parse(source.textContent);
  if (!data || !data.markers || !data.markers.length) return;

  wrapper.hidden = false;
  const L = window.L;
  const SVG = "http://www.w3.org/2000/svg";
  const map = L.map("search-map", { scrollWheelZoom: false, keyboard: true, attributionControl: true });
  if (data.tiles) {
    L.tileLayer(data.tiles, { attribution: data.attribution || "", maxZoom: 19 }).addTo(map);
  } else {
    map.attributionControl.setPrefix(false);
  }

  function svgElement(name, attributes) {
    const element = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
    return element;
  }

  // A new element per marker: Leaflet moves the element it is given into the map.
  function pin() {
    const svg = svgElement("svg", { viewBox: "0 0 32 42", width: "32", height: "42", "aria-hidden": "true", focusable: "false" });
    svg.appendChild(svgElement("path", {
      class: "search-map__pin-shape",
      d: "M16 1C7.7 1 1 7.6 1 15.8 1 27.2 16 41 16 41s15-13.8 15-25.2C31 7.6 24.3 1 16 1z",
    }));
    svg.appendChild(svgElement("circle", { class: "search-map__pin-dot", cx: "16", cy: "16", r: "6" }));
    return L.divIcon({ html: svg, className: "search-map__pin", iconSize: [32, 42], iconAnchor: [16, 41], popupAnchor: [0, -36] });
  }

  function popup(marker) {
    const container = document.createElement("div");
    const name = document.createElement(marker.url ? "a" : "strong");
    if (marker.url) name.href = marker.url;
    name.textContent = marker.name;
    container.appendChild(name);
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
    L.marker(point, { icon: pin(), title: marker.name, keyboard: false })
      .bindPopup(() => popup(marker))
      .addTo(map);
  }
  if (data.origin) {
    const origin = [data.origin.lat, data.origin.lon];
    points.push(origin);
    L.circleMarker(origin, { radius: 7, className: "search-map__origin", interactive: false }).addTo(map);
  }
  map.fitBounds(L.latLngBounds(points).pad(0.15), { maxZoom: 15 });
})();
