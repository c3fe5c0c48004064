ALTER TABLE `sessions` ADD `closed_at` integer;--> statement-breakpoint
CREATE INDEX `sessions_close_out_idx` ON `sessions` (`closed_at`,`ends_at`);