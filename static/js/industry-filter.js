// Adds a search box above the industry <select>: typing a word or a code narrows the options.
// Without JavaScript the grouped <select> still works on its own.
(function () {
  var box = document.querySelector(".industry-picker");
  if (!box) return;
  var select = box.querySelector("select");
  var original = select.cloneNode(true);
  var id = select.id + "-filter";
  var wrap = document.createElement("div");
  wrap.className = "field";
  wrap.innerHTML = '<label for="' + id + '"></label><span class="hint" id="' + id + '-hint"></span>' +
    '<input type="search" id="' + id + '" aria-describedby="' + id + '-hint" aria-controls="' + select.id + '" autocomplete="off">';
  wrap.querySelector("label").textContent = box.dataset.filterLabel;
  wrap.querySelector(".hint").textContent = box.dataset.filterHint;
  box.insertBefore(wrap, box.firstChild);
  var input = wrap.querySelector("input");

  // The whole name of the chosen industry under the list (a phone cuts it off in the select).
  var chosenLine = box.querySelector(".chosen-industry");
  function showChosen() {
    var option = select.options[select.selectedIndex];
    if (!chosenLine) return;
    chosenLine.textContent = option && option.value ? box.dataset.chosen.replace("%(name)s", option.textContent) : "";
  }
  select.addEventListener("change", showChosen);

  input.addEventListener("input", function () {
    var words = input.value.trim().toLowerCase();
    var chosen = select.value;
    select.innerHTML = "";
    Array.prototype.forEach.call(original.children, function (node) {
      if (node.tagName === "OPTION") { select.appendChild(node.cloneNode(true)); return; }
      var groupHit = node.label.toLowerCase().indexOf(words) !== -1;
      var group = node.cloneNode(false);
      Array.prototype.forEach.call(node.children, function (opt) {
        var text = (opt.value + " " + opt.textContent + " " + (opt.getAttribute("data-keywords") || "")).toLowerCase();
        if (!words || groupHit || text.indexOf(words) !== -1) group.appendChild(opt.cloneNode(true));
      });
      if (group.children.length) select.appendChild(group);
    });
    select.value = chosen;
    if (select.value !== chosen) {
      var first = select.querySelector("optgroup option");
      if (first && words) select.value = first.value;
    }
    showChosen();
  });
})();
