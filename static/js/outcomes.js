/* The outcome buttons as the server rendered them: each outcome's label and points. */

/** What a tap on ``button`` is worth and how it reads, from the button itself. */
export function tapInfo(button) {
  const label = button.getAttribute("aria-label") || (button.querySelector(".tap__label") || {}).textContent;
  return {
    outcome: button.value,
    points: parseInt(button.getAttribute("data-points"), 10) || 0,
    label: label ? label.trim() : button.value,
    rejection: button.hasAttribute("data-rejection")
  };
}

/** How an outbox item reads: its own label, else the button's, else the outcome's code. */
export function labelFor(item) {
  if (item.label) return item.label;
  const button = document.querySelector('#tap-form button[name=outcome][value="' + CSS.escape(item.outcome || "") + '"]');
  return button ? tapInfo(button).label : item.outcome;
}
