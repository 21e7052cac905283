// Why: every test provisions its own vendor and camera, so tests never share D1 rows or hubs
// and can run in any order.
let counter = 0;

function suffix(): string {
  counter += 1;
  return `${Date.now().toString(36)}${counter.toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`.toUpperCase();
}

/** A serial no other test uses (matches SerialSchema). */
export function uniqueSerial(prefix = "CAM"): string {
  return `${prefix}-${suffix()}`;
}

/** A vendor name no other test uses (matches the registration name pattern). */
export function uniqueVendorName(prefix = "vendor"): string {
  return `${prefix}-${suffix().toLowerCase()}`;
}
