CREATE TABLE `camera_hourly` (
	`hour` integer NOT NULL,
	`serial` text NOT NULL,
	`total` integer NOT NULL,
	`relayed` integer NOT NULL,
	`failed` integer NOT NULL,
	PRIMARY KEY(`hour`, `serial`)
);
--> statement-breakpoint
CREATE TABLE `edge_hourly` (
	`hour` integer NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`hour`, `kind`, `key`)
);
--> statement-breakpoint
CREATE TABLE `session_hourly` (
	`hour` integer NOT NULL,
	`outcome` text NOT NULL,
	`stage` text NOT NULL,
	`cause` text,
	`path` text,
	`relay_transport` text,
	`browser` text NOT NULL,
	`camera_nat_type` text,
	`viewer_nat_type` text,
	`turn_region` text,
	`colo` text,
	`count` integer NOT NULL,
	`ttff_count` integer NOT NULL,
	`ttff_sum_ms` integer NOT NULL,
	`ttff_le_250` integer NOT NULL,
	`ttff_le_500` integer NOT NULL,
	`ttff_le_1000` integer NOT NULL,
	`ttff_le_2000` integer NOT NULL,
	`ttff_le_4000` integer NOT NULL,
	`ttff_le_8000` integer NOT NULL,
	`ttff_inf` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `session_hourly_hour_idx` ON `session_hourly` (`hour`);--> statement-breakpoint
ALTER TABLE `session_reports` ADD `turn_region` text;