CREATE TABLE `emulator_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`user_id` text,
	`kind` text NOT NULL,
	`body` text NOT NULL,
	`retry_key` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `emulator_log_retry_key_unique` ON `emulator_log` (`retry_key`);--> statement-breakpoint
CREATE INDEX `emulator_log_user_idx` ON `emulator_log` (`user_id`,`id`);