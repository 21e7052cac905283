// Why: the recording feature's public surface for build-controls and tests.
export { recordingFeature, RECORDING_TRANSFER_BASE, type RecordingFeatureOptions } from "./recording-feature.ts";
export { startRecorder, DEFAULT_SEGMENT_MS, type Recorder, type RecorderOptions } from "./recorder.ts";
export { openSegmentStore, type SegmentStore } from "./segment-store.ts";
