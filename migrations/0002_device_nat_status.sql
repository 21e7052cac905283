ALTER TABLE `devices` ADD `nat_status` text;--> statement-breakpoint
ALTER TABLE `devices` ADD `nat_status_at` integer;