CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`actor_user_id` text,
	`serial` text,
	`subject_user_id` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `audit_events_serial_at_idx` ON `audit_events` (`serial`,`at`);--> statement-breakpoint
CREATE INDEX `audit_events_actor_at_idx` ON `audit_events` (`actor_user_id`,`at`);--> statement-breakpoint
CREATE TABLE `device_access` (
	`serial` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	`granted_by` text,
	PRIMARY KEY(`serial`, `user_id`),
	FOREIGN KEY (`serial`) REFERENCES `devices`(`serial`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `device_access_one_owner` ON `device_access` (`serial`) WHERE role = 'owner';--> statement-breakpoint
CREATE INDEX `device_access_user_idx` ON `device_access` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`password_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`session_version` integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `vendor_keys` (
	`kid` text PRIMARY KEY NOT NULL,
	`vendor_id` text NOT NULL,
	`public_jwk` text NOT NULL,
	`alg` text NOT NULL,
	`created_at` integer NOT NULL,
	`valid_until` integer,
	FOREIGN KEY (`vendor_id`) REFERENCES `vendors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `vendor_keys_vendor_id_idx` ON `vendor_keys` (`vendor_id`);--> statement-breakpoint
CREATE TABLE `viewer_sessions` (
	`session_id` text PRIMARY KEY NOT NULL,
	`serial` text NOT NULL,
	`user_id` text,
	`role` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`duration_ms` integer,
	`path` text,
	`end_reason` text
);
--> statement-breakpoint
CREATE INDEX `viewer_sessions_serial_started_idx` ON `viewer_sessions` (`serial`,`started_at`);--> statement-breakpoint
ALTER TABLE `devices` ADD `max_viewers` integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE `devices` ADD `allow_code_viewing` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `devices` ADD `token_version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
-- Existing vendors' keys become their first (current) key in vendor_keys.
INSERT INTO `vendor_keys` (`kid`, `vendor_id`, `public_jwk`, `alg`, `created_at`, `valid_until`) SELECT `id` || '-k1', `id`, `public_jwk`, `alg`, `created_at`, NULL FROM `vendors`;
