export { nightFeature, type NightFeatureOptions } from "./night-feature.ts";
