CREATE TABLE `session_reports` (
	`session_id` text PRIMARY KEY NOT NULL,
	`serial` text NOT NULL,
	`user_id` text,
	`role` text NOT NULL,
	`received_at` integer NOT NULL,
	`started_at` integer NOT NULL,
	`final` integer NOT NULL,
	`outcome` text NOT NULL,
	`stage` text NOT NULL,
	`cause` text,
	`path` text,
	`first_path` text,
	`path_changes` integer NOT NULL,
	`ice_restarts` integer NOT NULL,
	`relay_transport` text,
	`forced_relay` integer NOT NULL,
	`signaling_ms` integer,
	`ice_ms` integer,
	`dtls_ms` integer,
	`first_frame_ms` integer,
	`ttff_ms` integer,
	`duration_ms` integer NOT NULL,
	`browser` text NOT NULL,
	`camera_nat_type` text,
	`viewer_nat_type` text,
	`predicted_path` text NOT NULL,
	`prediction_reason` text NOT NULL,
	`colo` text
);
--> statement-breakpoint
CREATE INDEX `session_reports_serial_started_idx` ON `session_reports` (`serial`,`started_at`);--> statement-breakpoint
CREATE INDEX `session_reports_received_idx` ON `session_reports` (`received_at`);