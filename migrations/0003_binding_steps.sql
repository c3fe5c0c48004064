ALTER TABLE `binding_requests` ADD `consented_at` integer;--> statement-breakpoint
ALTER TABLE `binding_requests` ADD `verified_at` integer;