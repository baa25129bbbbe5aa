// "Use my location": fills the hidden lat/lon fields from the browser and submits the search form.
// The button stays hidden without JavaScript or geolocation; typing a place clears the device position.
// Also: the filters unfold on wide screens.

const form = document.getElementById("search-form");
const locate = document.querySelector("[data-search-locate]");

if (form && locate && "geolocation" in navigator) {
  const button = locate.querySelector("[data-search-locate-button]");
  const status = locate.querySelector("[data-search-locate-status]");
  const where = form.elements.namedItem("where");
  const lat = form.elements.namedItem("lat");
  const lon = form.elements.namedItem("lon");
  locate.hidden = false;

  // A typed place wins over an earlier device position.
  where.addEventListener("input", () => {
    lat.value = "";
    lon.value = "";
  });

  button.addEventListener("click", () => {
    button.disabled = true;
    status.textContent = "Finding your location…";
    navigator.geolocation.getCurrentPosition(
      (position) => {
        // About 100 metres is close enough, and keeps the exact position out of addresses and logs.
        lat.value = position.coords.latitude.toFixed(3);
        lon.value = position.coords.longitude.toFixed(3);
        where.value = "";
        status.textContent = "Searching near your location…";
        form.submit();
      },
      () => {
        button.disabled = false;
        status.textContent = "We could not find your location. Enter a postcode or a place instead.";
      },
      { enableHighAccuracy: false, maximumAge: 600000, timeout: 15000 },
    );
  });
}

// The filters fold behind one summary so that on a phone the results come first. Where the filters
// column sits beside the results (NHS.UK's tablet breakpoint and wider) they start unfolded.
const filters = document.querySelector("[data-search-filters]");
if (filters && window.matchMedia("(min-width: 40.0625em)").matches) {
  filters.open = true;
}
