// The slip's QR code carries the code after "#" (never sent to the server): fill it in.
(function () {
  var match = /[#&]code=([0-9A-Za-z-]+)/.exec(window.location.hash || "");
  var field = document.getElementById("id_code");
  if (match && field && !field.value) {
    field.value = match[1];
    history.replaceState(null, "", window.location.pathname);
  }
})();
