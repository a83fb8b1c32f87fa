/* SLECoP portal: small enhancements. Every page works without this script. */
(function () {
  "use strict";
  var menu = document.querySelector(".site-menu");
  if (!menu) return;
  var wide = window.matchMedia("(min-width: 60rem)");
  // Where CSS cannot show a closed <details>' content (no ::details-content), keep the menu
  // open on wide screens, as the stylesheet does elsewhere.
  var cssShowsMenu = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  function fit() {
    if (!cssShowsMenu) menu.open = wide.matches;
  }
  fit();
  wide.addEventListener("change", fit);
  // On a narrow screen, Escape closes the open menu and puts focus back on its button.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open && !wide.matches) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
})();
