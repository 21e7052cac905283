CREATE TABLE `device_connections` (
	`id` text PRIMARY KEY NOT NULL,
	`serial` text NOT NULL,
	`connected_at` integer NOT NULL,
	`ended_at` integer,
	`last_seen_at` integer,
	`reason` text,
	`close_code` integer,
	`network_tag` text
);
--> statement-breakpoint
CREATE INDEX `device_connections_serial_connected_idx` ON `device_connections` (`serial`,`connected_at`);--> statement-breakpoint
ALTER TABLE `devices` ADD `doctor_report` text;--> statement-breakpoint
ALTER TABLE `devices` ADD `doctor_report_at` integer;