// Why: the edge's event index (issue 13, item 3): the row kept per event, the per-camera rate
// cap, and the API's paging.
export { eventRow, MAX_CAMERA_CLOCK_AHEAD_MS, type CameraEventFrame } from "./event-row.ts";
export { EventRate, EVENT_WINDOW_MS, PRUNE_EVERY, type EventAdmission } from "./event-rate.ts";
export { pageOf } from "./event-page.ts";
