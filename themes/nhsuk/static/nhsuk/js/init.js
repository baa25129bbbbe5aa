// Starts the NHS.UK frontend components; a module script, so no inline script is needed (CSP).
import { initAll } from "../../wagtailnhsukfrontend/js/nhsuk-frontend-10.4.2.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();
