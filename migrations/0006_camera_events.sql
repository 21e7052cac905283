CREATE TABLE `camera_events` (
	`serial` text NOT NULL,
	`id` text NOT NULL,
	`kind` text NOT NULL,
	`started_at` integer NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`serial`, `id`)
);
--> statement-breakpoint
CREATE INDEX `camera_events_serial_started_idx` ON `camera_events` (`serial`,`started_at`);