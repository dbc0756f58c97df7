/* Timezone fields: registration stores the browser's IANA timezone, and settings
 * offer "Use this device's timezone". */

export function fillTimezoneFields(deviceTimezone) {
  document.querySelectorAll("[data-detect-timezone]").forEach((input) => {
    if (!input.value) input.value = deviceTimezone();
  });
  document.querySelectorAll("[data-use-device-timezone]").forEach((button) => {
    button.addEventListener("click", () => {
      const select = document.getElementById(button.getAttribute("data-use-device-timezone"));
      if (select) select.value = deviceTimezone();
    });
  });
}
