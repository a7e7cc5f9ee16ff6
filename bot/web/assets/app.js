// Vejviser preview: Enter sends the question, Shift+Enter makes a new line.
document.addEventListener("DOMContentLoaded", function () {
  var q = document.getElementById("q");
  if (!q || !q.form) {
    return;
  }
  q.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      if (q.value.trim() !== "") {
        if (q.form.requestSubmit) {
          q.form.requestSubmit();
        } else {
          q.form.submit();
        }
      }
    }
  });
});
