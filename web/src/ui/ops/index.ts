// Why: the operator view's one entry point for the app shell; the rest of the folder is its parts.
export { OpsPage } from "./ops-page.tsx";
